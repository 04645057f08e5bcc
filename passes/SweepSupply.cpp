//===- SweepSupply.cpp - What the hardware offers, over a subtree ---------===//
//
// The hardware side of the sweep's bound (SweepBound.cpp has the roofline):
// per-device peak rates, capacity and kernel costs, exact once the hardware
// levels are assigned and enclosed by interval arithmetic above them; and
// the decode collectives priced on the network once the layout is fixed.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepBound.h"

#include "passes/NetworkAbstraction.h"
#include "passes/Tiling.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"
#include <algorithm>

using namespace ds;

namespace {
const char *peakField(DType t) {
  switch (t) {
  case DType::FP32: return "peak.fp32";
  case DType::TF32: return "peak.tf32";
  case DType::BF16: return "peak.bf16";
  case DType::FP16: return "peak.fp16";
  case DType::FP8:  return "peak.fp8";
  case DType::INT8: return "peak.int8";
  case DType::INT4:
  case DType::FP4:  return "peak.fp4";
  }
  return "peak.bf16";
}
} // namespace

bool SweepBound::supplyAt(unsigned k, Supply &s) {
  // Exact only once everything it reads is assigned (the system and all it
  // references, the model's data types): read after applying the levels
  // above, never from an earlier point's leftovers.
  if (k < supplyLevel)
    return supplyHull(k, s);
  std::string why;
  if (!env.commit(k, why))
    return false;
  const DesignIR &d = inst.design();
  const ChipIR &chip = *d.system->chip;
  const NetworkIR &net = *d.system->network;
  const ModelIR &model = *d.workload->model;
  uint64_t key[5] = {chip.generation, net.generation, d.system->generation,
                     model.generation, uint64_t(uintptr_t(&model))};
  if (supplyChip == &chip && std::equal(key, key + 5, supplyKey)) {
    s = supply;
    return s.valid;
  }
  supplyChip = &chip;
  std::copy(key, key + 5, supplyKey);
  supply = Supply();
  if (!chip.memory)
    return false;
  double u = chip.utilization > 0 && chip.utilization <= 1 ? chip.utilization : 1;
  ChipContext ctx = chipContext(chip, loadedDramTemperature(chip));
  dram::StackResult stack =
      dram::evaluateStack(*chip.memory, dram::Pattern(), ctx.dramTemperature);
  const ModelIR &m = *d.workload->model;
  supply.bandwidth = stack.peak * u;
  supply.gemmFlops = compute::peakFlops(chip, m.activations, m.weights) * u;
  supply.attnFlops = compute::peakFlops(chip, m.activations, m.kvCache) * u;
  supply.vectorFlops = compute::peakFlops(chip, DType::FP32, DType::FP32) * u;
  supply.l2 = chip.l2Bandwidth > 0 ? chip.l2Bandwidth * u
                                   : std::numeric_limits<double>::infinity();
  supply.mmaM = double(std::max<int64_t>(1, chip.mmaM));
  supply.launch = std::max(0.0, chip.launch);
  supply.capacity = ctx.dramCapacity;
  supply.staticPower = chip.staticPower;
  supply.devices = Interval::point(double(net.devices()));
  supply.hop = std::numeric_limits<double>::infinity();
  for (const LevelIR &l : net.levels)
    supply.hop = std::min(supply.hop, std::max(0.0, l.latency));
  if (!std::isfinite(supply.hop))
    supply.hop = 0;
  supply.valid = supply.bandwidth > 0 && supply.gemmFlops > 0 &&
                 supply.attnFlops > 0 && supply.vectorFlops > 0 &&
                 supply.devices.lo > 0;
  s = supply;
  return s.valid;
}

// Above the hardware leaves, every quantity is the best its fields'
// enclosures allow (Instantiator::fieldInterval evaluates the fields'
// expressions, e.g. a peak scaled by cores and clock, over the open
// axes), through the same formulas: peak DRAM bandwidth stacks * Lc *
// min(channels * width * rate, vertical), capacity stacks * layers *
// layer capacity (runtime/dram/StackModel.cpp).
bool SweepBound::supplyHull(unsigned k, Supply &s) {
  if (k < designRefLevel)
    return false; // the system itself may change
  const DesignIR &d = inst.design();
  // The chip, memory and network may themselves be axes (references): only
  // the devices are followed through a reference axis (below); anything
  // else about an open reference is unknown.
  auto axisIv = [&](unsigned a) { return axisInterval(a, k); };
  std::string sys = d.system->name;
  auto fv = [&](const std::string &f) {
    return inst.fieldInterval(sys + ".chip." + f, axisIv);
  };
  const ModelIR &m = *d.workload->model;
  Interval u = fv("utilization");
  double uHi = std::min(1.0, u.hi);
  Interval stacks = fv("memory.stacks"), lc = fv("memory.connected_layers"),
           ch = fv("memory.channels_per_layer"), width = fv("memory.bus_width"),
           rate = fv("memory.data_rate"),
           vertical = fv("memory.vertical.bandwidth_per_layer"),
           layers = fv("memory.layers"), layerCap = fv("memory.layer_capacity");
  double channelPeak = stacks.hi * lc.hi * ch.hi * width.hi * rate.hi;
  double verticalPeak = stacks.hi * lc.hi * vertical.hi;
  s = Supply();
  s.bandwidth = std::min(channelPeak, verticalPeak) * uHi;
  // While the model (its data types) may change, any type's peak.
  bool typesOpen = k < modelLevel;
  auto peak = [&](DType a, DType b) {
    if (typesOpen) {
      double best = 0;
      for (DType t : {DType::FP32, DType::TF32, DType::BF16, DType::FP16,
                      DType::FP8, DType::INT8, DType::FP4})
        best = std::max(best, fv(peakField(t)).hi);
      return best * uHi;
    }
    return std::min(fv(peakField(a)).hi, fv(peakField(b)).hi) * uHi;
  };
  s.gemmFlops = peak(m.activations, m.weights);
  s.attnFlops = peak(m.activations, m.kvCache);
  s.vectorFlops = peak(DType::FP32, DType::FP32);
  Interval l2 = fv("l2_bandwidth");
  s.l2 = l2.hi > 0 ? l2.hi * uHi : std::numeric_limits<double>::infinity();
  s.mmaM = std::max(1.0, fv("mma.m").lo);
  s.launch = std::max(0.0, fv("launch").lo);
  s.capacity = stacks.hi * layers.hi * layerCap.hi;
  s.staticPower = std::max(0.0, fv("static_power").lo);
  // Devices: the network's, or the hull over the networks an open
  // reference axis may pick.
  s.devices = Interval::point(double(d.system->network->devices()));
  const std::vector<SweepAxis> &axes = space.sweep().axes;
  for (unsigned a = 0; a < axes.size(); ++a) {
    if (axes[a].decl != sys || axes[a].field != "network" ||
        unsigned(levelOf[a]) < k)
      continue;
    const std::vector<Value> *vals = nullptr;
    std::string error;
    s.devices = Interval::all();
    if (!env.values(unsigned(levelOf[a]), vals, error))
      break;
    bool first = true;
    for (const Value &v : *vals)
      for (const NetworkIR &n : inst.module().networks)
        if (n.name == v.text) {
          Interval dv = Interval::point(double(n.devices()));
          s.devices = first ? dv : s.devices.hull(dv);
          first = false;
        }
    if (first)
      s.devices = Interval::all();
  }
  auto finite = [](double v) { return std::isfinite(v) && v > 0; };
  s.valid = finite(s.bandwidth) && finite(s.gemmFlops) && finite(s.attnFlops) &&
            finite(s.vectorFlops) && std::isfinite(s.capacity) &&
            s.devices.lo > 0 && std::isfinite(s.launch);
  return s.valid;
}

// Each collective is exposed at least as passes/OverlapScheduling.cpp
// leaves it: whole under no or layer overlap, its latency (with the
// launch) when it overlaps a partner's tiles or, for stage-to-stage sends,
// the next microbatch. Prices rise with the bytes, and the fewest tokens a
// microbatch can hold give the fewest bytes.
double SweepBound::networkFloor(unsigned k, double tokens, double mHi) {
  if (!networkOf || k < supplyLevel || k < scheduleLevel ||
      k < modelLevel)
    return 0;
  std::string why;
  if (!env.commit(k, why))
    return 0;
  const DesignIR &d = inst.design();
  const ScheduleIR &s = *d.schedule;
  ParallelLayout layout = ParallelLayout::of(s);
  if (s.tp * s.sp * s.cp * s.dp * s.pp != d.system->network->devices())
    return 0;
  const net::NetworkModel &model = networkOf(*d.system->network);
  double launch = std::max(0.0, d.system->chip->launch);
  double total = 0;
  for (const CommOp &op : stepCollectives(d, layout, Phase::Decode, tokens)) {
    auto cost = model.price(op.collective, op.algorithm, layout.group(op.dim),
                            op.bytes);
    if (!cost) {
      llvm::consumeError(cost.takeError());
      return 0;
    }
    bool p2p = op.collective == net::Collective::SendRecv;
    bool hidden = (s.overlap == Overlap::Tile && *op.partner && !p2p) ||
                  (p2p && s.overlap != Overlap::None && mHi > 1);
    total += op.count * ((hidden ? cost->latency : cost->time) + launch);
  }
  return total * double(s.pp);
}
