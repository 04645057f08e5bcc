//===- ComputeTestChips.h - Synthetic chips for compute tests ---*- C++ -*-===//
//
// An H100-SXM-like chip built by hand, so the compute tests do not depend on
// lib/ or the frontend, and the DRAM callbacks the tests feed the model.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_TEST_UNIT_COMPUTETESTCHIPS_H
#define DEEPSTACK_TEST_UNIT_COMPUTETESTCHIPS_H

#include "ir/IR.h"
#include "runtime/dram/DeviceModel.h"

#include <algorithm>

namespace ds {
namespace test {

/// Five HBM3 stacks of 8 dies with 2 channels each (lib/memory/hbm3.ds):
/// 80 channels, 32-byte sectors.
inline MemoryIR hbm3() {
  MemoryIR m;
  m.stacks = 5;
  m.layers = 8;
  m.connectedLayers = 8;
  m.channelsPerLayer = 2;
  m.sector = 32;
  return m;
}

/// shared/reference/hardware.csv, H100-SXM: 132 SMs at 1.83 GHz, 989 / 1979
/// / 67 TFLOP/s BF16 / FP8 / FP32, 50 MiB L2; 228 KiB of shared memory per
/// SM; SRAM and L2 bandwidth at the schema defaults (128 and 64 B per core
/// per clock); Hopper wgmma shape 64 x 8 x 16; u = 0.9, launch 2 us.
inline ChipIR h100(const MemoryIR &m) {
  ChipIR c;
  c.cores = 132;
  c.clock = 1.83e9;
  c.peakBF16 = 989e12;
  c.peakFP16 = 989e12;
  c.peakFP8 = 1979e12;
  c.peakINT8 = 1979e12;
  c.peakFP4 = 3958e12;
  c.peakFP32 = 67e12;
  c.sramPerCore = 228 * 1024;
  c.pipelineStages = 2;
  c.mmaM = 64;
  c.mmaN = 8;
  c.mmaK = 16;
  c.sramBandwidth = 132 * 1.83e9 * 128;
  c.l2 = 50.0 * 1024 * 1024;
  c.l2Bandwidth = 132 * 1.83e9 * 64;
  c.utilization = 0.9;
  c.launch = 2e-6;
  c.memory = &m;
  return c;
}

/// H100 DRAM bandwidth whatever the pattern.
inline double fixedHbm(const dram::Pattern &) { return 3.35e12; }

/// A latency-limited memory (Little's law): bandwidth grows with the bytes
/// in flight until it reaches \p peak. Monotone in requests in flight and
/// request size, as the best-first search assumes of a DRAM model.
struct LittlesLaw {
  double peak = 3.35e12;
  double channels = 80;
  double latency = 600e-9;
  double operator()(const dram::Pattern &p) const {
    return std::min(peak, p.outstanding * p.requestBytes * channels / latency);
  }
};

} // namespace test
} // namespace ds

#endif
