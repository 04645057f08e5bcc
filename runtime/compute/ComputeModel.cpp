//===- ComputeModel.cpp - Peaks, vector operators, shared pieces ----------===//
//
// The per-dtype peak, elementwise operators, and what GEMM and attention
// (Gemm.cpp, Attention.cpp) share: the chip's rates and how the slowest of
// compute, DRAM, L2 and SRAM time becomes an operator's time and bound
// (DESIGN.md 6.2).
//
//===----------------------------------------------------------------------===//
#include "runtime/compute/ComputeDetail.h"

using namespace ds;
using namespace ds::compute;
using namespace ds::compute::detail;

namespace {
/// A coalesced warp access moves whole 128-byte lines on NVIDIA and AMD
/// GPUs; the L2 asks DRAM for the sectors of a line together.
constexpr double kCacheLine = 128;
} // namespace

llvm::StringRef compute::boundName(Bound b) {
  switch (b) {
  case Bound::Compute:
    return "compute";
  case Bound::Dram:
    return "DRAM";
  case Bound::L2:
    return "L2";
  case Bound::Sram:
    return "SRAM";
  case Bound::Launch:
    return "launch";
  }
  return "";
}

ChipRates::ChipRates(const ChipIR &chip) {
  cores = double(std::max<int64_t>(1, chip.cores));
  u = chip.utilization > 0 && chip.utilization <= 1 ? chip.utilization : 1.0;
  sramBandwidth = chip.sramBandwidth * u;
  l2Bandwidth = chip.l2Bandwidth * u;
  l2 = std::max(0.0, chip.l2);
  sramPerCore = std::max(0.0, chip.sramPerCore);
  launch = std::isfinite(chip.launch) ? std::max(0.0, chip.launch) : 0.0;
  stages = std::max<int64_t>(1, chip.pipelineStages);
  mmaM = std::max<int64_t>(1, chip.mmaM);
  mmaN = std::max<int64_t>(1, chip.mmaN);
  mmaK = std::max<int64_t>(1, chip.mmaK);
  if (const MemoryIR *m = chip.memory) {
    channels = std::max(1.0, double(m->stacks) * double(m->connectedLayers) *
                                 double(m->channelsPerLayer));
    if (m->sector > 0)
      sector = m->sector;
  }
}

int64_t detail::mmaDepth(const ChipRates &r, DType a, DType b) {
  double bytes = std::max(dtypeBytes(a), dtypeBytes(b));
  return std::max<int64_t>(1,
                           int64_t(std::llround(double(r.mmaK) * 2 / bytes)));
}

void detail::finish(OpCost &c, double launch) {
  double worst = c.computeTime;
  c.bound = Bound::Compute;
  auto consider = [&](double t, Bound b) {
    if (t > worst) {
      worst = t;
      c.bound = b;
    }
  };
  consider(c.dramTime, Bound::Dram);
  consider(c.l2Time, Bound::L2);
  consider(c.sramTime, Bound::Sram);
  if (launch > worst)
    c.bound = Bound::Launch;
  c.time = worst + launch;
}

double compute::peakFlops(const ChipIR &chip, DType a, DType b) {
  // A rate left at zero (hand-built IR) takes the schema's default relation
  // to BF16 (ir/fields/Chip.def), so tests may declare BF16 alone.
  auto fp8 = [&] {
    return chip.peakFP8 > 0 ? chip.peakFP8 : 2 * chip.peakBF16;
  };
  auto one = [&](DType t) -> double {
    switch (t) {
    case DType::FP32:
      return chip.peakFP32 > 0 ? chip.peakFP32 : chip.peakBF16 / 16;
    case DType::TF32:
      // Tensor cores run TF32 at half the BF16 rate (H100: 494 TFLOP/s).
      return chip.peakTF32 > 0 ? chip.peakTF32 : chip.peakBF16 / 2;
    case DType::BF16:
      return chip.peakBF16;
    case DType::FP16:
      return chip.peakFP16 > 0 ? chip.peakFP16 : chip.peakBF16;
    case DType::FP8:
      return fp8();
    case DType::INT8:
      return chip.peakINT8 > 0 ? chip.peakINT8 : fp8();
    case DType::INT4:
    case DType::FP4:
      return chip.peakFP4 > 0 ? chip.peakFP4 : 2 * fp8();
    }
    return chip.peakBF16;
  };
  // Mixed operands run at the slower type's rate: W4A16 dequantizes the
  // weights to BF16 and multiplies in BF16.
  return std::max(0.0, std::min(one(a), one(b)));
}

OpCost compute::vectorOp(const ChipIR &chip, double bytes, double flops,
                         DramBandwidthFn dram, double writeFraction) {
  ChipRates r(chip);
  OpCost c;
  bytes = std::isfinite(bytes) ? std::max(0.0, bytes) : 0.0;
  flops = std::isfinite(flops) ? std::max(0.0, flops) : 0.0;
  c.flops = c.paddedFlops = flops;
  c.dramBytes = bytes;
  // Every byte passes through L2 on its way to or from DRAM.
  c.l2Bytes = bytes;
  c.pattern.kind = dram::PatternKind::Sequential;
  c.pattern.requestBytes = roundUp(std::max(kCacheLine, r.sector), r.sector);
  c.pattern.writeFraction =
      std::isfinite(writeFraction) ? std::clamp(writeFraction, 0.0, 1.0) : 0.5;
  // Loads in flight: no field bounds a core's outstanding loads (MSHRs,
  // registers), so each core is allowed its SRAM's worth of landing buffers
  // (what a TMA or cp.async streaming kernel can keep in flight), and never
  // more than the operator moves.
  double inFlight = std::min(bytes, r.cores * r.sramPerCore);
  c.pattern.outstanding =
      std::max(1.0, inFlight / r.channels / c.pattern.requestBytes);
  if (bytes > 0)
    c.dramTime = timeAt(bytes, dram(c.pattern) * r.u);
  c.l2Time = timeAt(bytes, r.l2Bandwidth);
  // Elementwise math runs on the vector (FP32) units, not the tensor cores.
  c.computeTime =
      timeAt(flops, peakFlops(chip, DType::FP32, DType::FP32) * r.u);
  finish(c, r.launch);
  return c;
}
