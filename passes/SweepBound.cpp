//===- SweepBound.cpp - Enclosures of a subtree's metrics -----------------===//
#include "passes/SweepBound.h"

#include "passes/ModelToOps.h"
#include "passes/Tiling.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"
#include <algorithm>

using namespace ds;

SweepBound::SweepBound(Instantiator &inst, const SweepSpace &space,
                       PathEnv &env)
    : inst(inst), space(space), env(env) {
  levelOf.assign(space.sweep().axes.size(), 0);
  for (unsigned k = 0; k < space.depth(); ++k)
    levelOf[space.order()[k]] = int(k);
  metricIv.assign(metricCount(), Interval::all());
  hulls.assign(space.depth(), Interval::all());
  hullKnown.assign(space.depth(), false);
  // The model may change until every axis reaching it is assigned.
  const DesignIR &d = inst.design();
  for (unsigned a : inst.axesReaching(d.workload->model->name))
    modelLevel = std::max(modelLevel, unsigned(levelOf[a]) + 1);
}

Interval SweepBound::axisInterval(unsigned a, unsigned k) {
  unsigned level = unsigned(levelOf[a]);
  if (level < k)
    return Interval::point(env.numericAxes()[a]);
  if (!space.constantValues(level))
    return Interval::all();
  if (!hullKnown[level]) {
    hullKnown[level] = true;
    const std::vector<Value> *vals = nullptr;
    std::string error;
    if (env.values(level, vals, error) && !vals->empty() &&
        (*vals)[0].kind == Value::Number) {
      Interval iv = Interval::point((*vals)[0].num);
      for (const Value &v : *vals)
        iv = iv.hull(Interval::point(v.num));
      hulls[level] = iv;
    }
  }
  return hulls[level];
}

const std::vector<Interval> &SweepBound::axes(unsigned k) {
  size_t n = space.sweep().axes.size();
  axisIv.resize(n);
  for (unsigned a = 0; a < n; ++a)
    axisIv[a] = axisInterval(a, k);
  return axisIv;
}

SweepBound::FieldInfo &SweepBound::info(llvm::StringRef qualified) {
  auto it = fields.find(qualified);
  if (it != fields.end())
    return it->second;
  FieldInfo fi;
  const std::vector<SweepAxis> &all = space.sweep().axes;
  for (unsigned a = 0; a < all.size(); ++a)
    if (qualified == all[a].decl + "." + all[a].field)
      fi.axis = int(a);
  // Axes reaching the field's declaration (or a declaration on its path).
  for (size_t dot = qualified.rfind('.'); dot != llvm::StringRef::npos;
       dot = qualified.substr(0, dot).rfind('.'))
    for (unsigned a : inst.axesReaching(qualified.substr(0, dot)))
      fi.openLevel = std::max(fi.openLevel, unsigned(levelOf[a]) + 1);
  return fields[qualified] = fi;
}

Interval SweepBound::field(llvm::StringRef qualified, unsigned k) {
  FieldInfo &fi = info(qualified);
  if (fi.axis >= 0)
    return axisInterval(unsigned(fi.axis), k);
  // A field no open axis reaches keeps its current value.
  if (k < fi.openLevel)
    return Interval::all();
  if (fi.valueAt == ~0ull || env.changedSince(fi.openLevel, fi.valueAt)) {
    auto v = env.fieldValue(qualified);
    fi.value = v && v->kind == Value::Number ? Interval::point(v->num)
                                             : Interval::all();
    fi.valueAt = env.now();
  }
  return fi.value;
}

const std::vector<Interval> &SweepBound::metrics(unsigned k) {
  metricIv.assign(metricCount(), Interval::all());
  roofline(k);
  return metricIv;
}


bool ds::canBoundObjective(const SweepIR &sweep, std::string &why) {
  if (!sweep.objective) {
    why = "it has no objective";
    return false;
  }
  bool ok = true;
  forEachMetric(*sweep.objective, [&](llvm::StringRef m) {
    if (ok && !SweepBound::bounded(m)) {
      ok = false;
      why = "metric '" + m.str() + "' has no bound";
    }
  });
  if (ok)
    why.clear();
  return ok;
}

bool SweepBound::bounded(llvm::StringRef metric) {
  return metric == "stps" || metric == "tps_per_device" || metric == "tpot" ||
         metric == "devices" || metric == "memory.capacity";
}

namespace {
const char *peakField(DType t) {
  switch (t) {
  case DType::FP32: return "peak.fp32";
  case DType::TF32: return "peak.tf32";
  case DType::BF16: return "peak.bf16";
  case DType::FP16: return "peak.fp16";
  case DType::FP8:  return "peak.fp8";
  case DType::INT8: return "peak.int8";
  case DType::FP4:  return "peak.fp4";
  }
  return "peak.bf16";
}
} // namespace

bool SweepBound::supplyAt(unsigned k, Supply &s) {
  if (k < space.hardwareLevels())
    return supplyHull(k, s);
  std::string why;
  if (!env.commit(space.hardwareLevels(), why))
    return false;
  const DesignIR &d = inst.design();
  const ChipIR &chip = *d.system->chip;
  const NetworkIR &net = *d.system->network;
  if (supplyChip == &chip && supplyKey[0] == chip.generation &&
      supplyKey[1] == net.generation && supplyKey[2] == d.system->generation) {
    s = supply;
    return s.valid;
  }
  supplyChip = &chip;
  supplyKey[0] = chip.generation;
  supplyKey[1] = net.generation;
  supplyKey[2] = d.system->generation;
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
  auto peak = [&](DType a, DType b) {
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

bool SweepBound::demandAt(unsigned k, Demand &out) {
  if (k < modelLevel)
    return false;
  const ModelIR &m = *inst.design().workload->model;
  if (demandModel == &m && demandKey == m.generation) {
    out = demand;
    return true;
  }
  demandModel = &m;
  demandKey = m.generation;
  demand = Demand();
  StepShape one; // one decode token of one request, context 1
  OpGraph g = modelToOps(m, one);
  for (const Op &op : g.ops) {
    if (op.kind == OpKind::Collective || op.cls == OpClass::Embedding ||
        op.cls == OpClass::Head)
      continue;
    demand.kernels += op.count;
    if (op.kind == OpKind::Vector)
      demand.vectorFlops += op.vectorFlops * op.count;
    if (op.kind != OpKind::Gemm)
      continue;
    bool expert = op.role == OpRole::ExpertsUp || op.role == OpRole::ExpertsDown;
    (expert ? demand.expertWeights : demand.weights) += op.weightBytes * op.count;
  }
  demand.experts = double(m.experts);
  demand.topK = double(m.topK);
  demand.kvPerToken =
      kvValuesPerTokenLayer(m, 1) * dtypeBytes(m.kvCache) * double(m.layers);
  demand.attnFlopsPerCtx =
      4.0 * double(m.heads) * double(m.headDim) * double(m.layers);
  demand.weightBytes = dtypeBytes(m.weights);
  out = demand;
  return true;
}

// Decode, per device (passes/Evaluate.cpp): with M microbatches through
// pp stages, TPOT = M * slowest stage (M >= pp) or the sum of the stages,
// so TPOT >= max(1, M/pp) * T(s), T = one microbatch of s requests per
// device through every layer. Each kernel takes at least max(its FLOPs
// over the peak rate, its DRAM bytes over the peak bandwidth) plus the
// launch (runtime/compute: time = max(...) + launch), and a GEMM executes
// at least max(rows, mma.m) rows (tensor instructions pad M) and its
// weights cross DRAM and L2 once each (b bytes per weight):
//   T(s) = W/tp * max(2 max(s, mmaM)/(b F), 1/Bw, 1/L2)       weight GEMMs
//        + Wx(s) * max(2 mmaM/(b F), 1/Bw, 1/L2)              active experts
//        + s * max(A ctx/(tp F_att), kv ctx/(tp cp Bw))      attention
//        + s * V / (tp F32) + kernels * launch               elementwise
// where Wx(s) = W_experts * hit / max(ep, tp), hit = 1 - (1 - k/E)^s: each
// of a device's experts is hit with that probability and the busiest
// device reads at least the mean (passes/Partition.cpp). T(s)/s falls with
// s (every term is constant, linear or concave in s), and STPS = B / TPOT
// with s >= B/(dp M sp), so
//   TPOT/B >= max(1/M, 1/pp) / (dp sp) * T(s_max)/s_max.
// Open quantities take their optimistic ends; the KV cache and the weights
// must fit in the capacity, which caps the batch.
void SweepBound::roofline(unsigned k) {
  Supply hw;
  Demand dm;
  if (!supplyAt(k, hw) || !demandAt(k, dm))
    return;
  const DesignIR &d = inst.design();
  std::string sched = d.schedule->name, work = d.workload->name;
  auto iv = [&](const std::string &decl, const char *f) {
    Interval v = field(decl + "." + f, k);
    if (!(v.lo >= 1)) // whole-number fields are at least 1
      v.lo = 1;
    return v;
  };
  Interval tp = iv(sched, "tp"), pp = iv(sched, "pp"), dp = iv(sched, "dp"),
           ep = iv(sched, "ep"), sp = iv(sched, "sp"), cp = iv(sched, "cp"),
           mb = iv(sched, "microbatches"), B = iv(work, "batch"),
           prompt = iv(work, "prompt"), gen = iv(work, "generate");
  auto set = [&](const char *name, Interval v) {
    int i = metricIndex(name);
    if (i >= 0)
      metricIv[i] = v;
  };
  set("devices", hw.devices);
  if (hw.capacity > 0 && k >= space.hardwareLevels())
    set("memory.capacity", Interval::point(hw.capacity));
  else
    set("memory.capacity", {0, hw.capacity});
  // Memory per device: weights (experts: a device holds E/ep of them, each
  // split over tp/ep when tp exceeds ep) and the whole context's KV cache.
  double expertShare = dm.expertWeights / std::max(ep.hi, tp.hi);
  double weightsLo = (dm.weights / tp.hi + expertShare) / pp.hi;
  double perRequest = dm.kvPerToken * (prompt.lo + gen.lo) /
                      (tp.hi * pp.hi * cp.hi * dp.hi * sp.hi);
  set("memory.used", {weightsLo + perRequest * B.lo, Interval::all().hi});
  double bMax = B.hi;
  if (perRequest > 0)
    bMax = std::min(bMax, std::floor((hw.capacity - weightsLo) / perRequest));
  if (bMax < B.lo) {
    set("stps", {0, 0}); // nothing below fits: every point is infeasible
    set("tps_per_device", {0, 0});
    set("tokens_per_joule", {0, 0});
    return;
  }
  // The decode step is averaged over KV lengths prompt + (i + 1/2) G / 4
  // (passes/RunPhase.cpp): their mean is prompt + G/2, rounded per sample.
  double ctx = prompt.lo + gen.lo / 2 - 2;
  ctx = std::max(prompt.lo, ctx);
  // Weights stream through DRAM and through L2, once each at least.
  double Bw = hw.bandwidth, F = hw.gemmFlops;
  double perWeightByte = std::max(1 / Bw, 1 / hw.l2);
  auto T = [&](double s) {
    double gemm = dm.weights / tp.hi *
                  std::max(2 * std::max(s, hw.mmaM) / (dm.weightBytes * F),
                           perWeightByte);
    double experts = 0;
    if (dm.experts > 0 && dm.expertWeights > 0) {
      double hit = 1 - std::pow(1 - dm.topK / dm.experts, std::max(1.0, s));
      experts = expertShare * hit *
                std::max(2 * hw.mmaM / (dm.weightBytes * F), perWeightByte);
    }
    double attention = s * std::max(dm.attnFlopsPerCtx * ctx / (tp.hi * hw.attnFlops),
                                     dm.kvPerToken * ctx / (tp.hi * cp.hi * Bw));
    double vector = s * dm.vectorFlops / (tp.hi * sp.hi * hw.vectorFlops);
    return gemm + experts + attention + vector + dm.kernels * hw.launch;
  };
  auto ceilDiv = [](double a, double b) { return std::ceil(a / b); };
  double mLo = std::max(1.0, std::min(mb.lo, ceilDiv(B.lo, dp.hi)));
  double mHi = std::max(1.0, std::min(mb.hi, ceilDiv(bMax, dp.lo)));
  double sMax = bMax / (dp.lo * mLo * sp.lo);
  double r = std::max(1 / mHi, 1 / pp.hi) / (dp.hi * sp.hi) * T(sMax) / sMax;
  if (!(r > 0) || !std::isfinite(r))
    return;
  double stps = 1 / r;
  set("stps", {0, stps});
  set("tps_per_device", {0, stps / hw.devices.lo});
  double sMin = std::max(1.0, B.lo / (dp.hi * mHi * sp.hi));
  set("tpot", {std::max(1.0, mLo / pp.hi) * T(sMin), Interval::all().hi});
  set("power", {hw.staticPower, Interval::all().hi});
  if (hw.staticPower > 0)
    set("tokens_per_joule", {0, stps / (hw.staticPower * hw.devices.lo)});
}

