//===- Evaluate.cpp - A design's metrics ----------------------------------===//
//
// Pipeline of pp stages with M = min(microbatches, ceil(batch/dp))
// microbatches; a middle stage takes T_m per microbatch, the first adds
// the embedding and the last the final norm and LM head:
//   decode   TPOT = M * slowest stage when M >= pp (every stage busy),
//            else the sum of the stages; STPS = batch / TPOT
//   prefill  TTFT = sum of the stages + (M - 1) * slowest stage
//   energy   per token period: devices * (static * TPOT + M * E_stage)
//            + M * E_network, over batch tokens (E_stage averages the
//            stages); the clock settles on the step's power
//
//===----------------------------------------------------------------------===//
#include "passes/Evaluate.h"
#include "passes/MetricsCheck.h"

#include "frontend/Units.h"
#include "passes/RunPhase.h"
#include "passes/ModelToOps.h"
#include "passes/NetworkAbstraction.h"
#include "passes/Partition.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
/// One microbatch through the first, a middle and the last stage.
struct StageTimes {
  double first = 0, middle = 0, last = 0; ///< first/last: their extra work
  double sum = 0, slowest = 0;
};

OpGraph buildGraph(const DesignIR &d, const ParallelLayout &l, Phase ph,
                   int64_t context) {
  OpGraph g = modelToOps(*d.workload->model, shapeFor(d, ph, context));
  partition(d, l, g);
  return g;
}

MemoryUse memoryUse(const DesignIR &d, const OpGraph &g, double capacity) {
  const ModelIR &m = *d.workload->model;
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  MemoryUse u;
  u.capacity = capacity;
  double head = 0;
  for (const Op &op : g.ops)
    if (op.kind == OpKind::Gemm) {
      if (op.cls == OpClass::Head)
        head += op.weightBytes * op.count;
      else
        u.weights += op.weightBytes * op.count;
    }
  double embedding = m.tieEmbeddings == Bool::False
                         ? double(m.vocab) * double(m.hidden) / double(s.tp) *
                               dtypeBytes(m.weights)
                         : 0;
  // One stage holds the embedding, another the head (both when pp = 1; a
  // tied head is the embedding itself).
  u.weights += s.pp == 1 ? head + embedding : std::max(head, embedding);
  double stageLayers = std::ceil(double(m.layers) / double(s.pp));
  double perTokenLayer = kvValuesPerTokenLayer(m, s.tp) * dtypeBytes(m.kvCache);
  double context = double(w.prompt + w.generate) / double(s.cp);
  double sequences = std::ceil(double(w.batch) / double(s.dp)) / double(s.sp);
  u.kvCache = stageLayers * perTokenLayer * context * sequences;
  // Transient activations of the largest microbatch: a few tensors of the
  // widest per-device row (hidden, MLP width, vocabulary slice).
  double tokens = shapeFor(d, w.phase == Phase::Decode ? Phase::Decode
                                                       : Phase::Prefill,
                           1)
                      .sequences *
                  (w.phase == Phase::Decode ? 1.0 : double(w.prompt));
  double widest = std::max({double(m.hidden), 2.0 * double(m.ffn) / double(s.tp),
                            2.0 * double(m.expertFfn), double(m.vocab) / double(s.tp)});
  u.activations = 4 * tokens / double(s.sp) * widest * dtypeBytes(m.activations);
  return u;
}
} // namespace

void ds::clearEvaluationCaches() {
  clearOperatorCache();
  clearSettledClocks();
}

/// evaluateDesign before its output is checked (MetricsCheck.h).
static bool evaluateUnchecked(const DesignIR &d,
                              const net::NetworkModel &network,
                              DiagEngine &diags, DesignMetrics &out,
                              const PassObserver &observe, bool explain,
                              bool checkCapacity) {
  out = DesignMetrics();
  out.design = &d;
  if (!checkParallelLayout(d, diags) || !checkPartition(d, diags))
    return false;
  const ChipIR &chip = *d.system->chip;
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  const ModelIR &m = *w.model;
  out.layout = ParallelLayout::of(s);
  out.devices = d.system->network->devices();

  // The DRAM is read at the temperature a fully loaded chip gives it.
  out.dramTemperature = loadedDramTemperature(chip);
  ChipContext ctx = chipContext(chip, out.dramTemperature);

  // Capacity first: an over-full design is reported, not timed.
  double capacity = ctx.dramCapacity;
  OpGraph decodeGraph = buildGraph(d, out.layout, Phase::Decode, w.prompt);
  out.memory = memoryUse(d, decodeGraph, capacity);
  if (checkCapacity && out.memory.total() > capacity) {
    out.feasible = false;
    if (!explain)
      return true;
    out.infeasible = fmt::format(
        "out of memory: {} per device (weights {}, KV cache {}, activations "
        "{}) exceeds the {} of '{}'",
        formatQuantity(out.memory.total(), Dim::bytes(), 4),
        formatQuantity(out.memory.weights, Dim::bytes(), 4),
        formatQuantity(out.memory.kvCache, Dim::bytes(), 4),
        formatQuantity(out.memory.activations, Dim::bytes(), 4),
        formatQuantity(capacity, Dim::bytes(), 4), chip.memory->name);
    return true;
  }

  double M = double(effectiveMicrobatches(d)), pp = double(s.pp);
  bool wantPrefill = w.phase != Phase::Decode, wantDecode = w.phase != Phase::Prefill;
  // TTFT is part of every request; time it even for decode-only workloads.
  if (!runPhase(d, out.layout, Phase::Prefill, ctx, network, diags,
                out.prefill, wantPrefill ? observe : nullptr) ||
      !runPhase(d, out.layout, Phase::Decode, ctx, network, diags, out.decode,
                wantDecode ? observe : nullptr))
    return false;
  out.prefill.present = wantPrefill;
  out.decode.present = wantDecode;

  // Stages differ: the first embeds, the last runs the final norm and the
  // LM head. M >= pp microbatches keep every stage busy and the slowest
  // stage paces the pipeline; fewer leave it idle, and a token then takes
  // the sum of the stages.
  auto stages = [&](const PhaseResult &r) {
    StageTimes t;
    for (size_t i = 0; i < r.graph.ops.size(); ++i) {
      OpClass cls = r.graph.ops[i].cls;
      if (cls == OpClass::Embedding)
        t.first += r.step.opTime[i];
      else if (cls == OpClass::Head)
        t.last += r.step.opTime[i];
    }
    t.middle = r.step.time - t.first - t.last;
    if (pp > 1) {
      t.sum = pp * t.middle + t.first + t.last;
      t.slowest = t.middle + std::max(t.first, t.last);
    } else {
      t.sum = t.slowest = r.step.time;
    }
    return t;
  };
  StageTimes sp = stages(out.prefill), sd = stages(out.decode);
  out.ttft = sp.sum + (M - 1) * sp.slowest;
  out.prefill.bubble = out.ttft - M * sp.slowest;
  out.tpot = M >= pp ? M * sd.slowest : sd.sum;
  out.decode.bubble = std::max(0.0, out.tpot - M * sd.slowest);
  // Prefill produces the first token; the others take a token period each.
  out.endToEnd = out.ttft + double(w.generate - 1) * out.tpot;
  out.stps = double(w.batch) / out.tpot;
  out.tokensPerDevice = out.stps / double(out.devices);
  out.prefillTps = double(w.batch) * double(w.prompt) / out.ttft;

  double devices = double(out.devices);
  // A device's energy per stage step, averaged over the stages: the
  // embedding and the head run on one stage of pp.
  auto phasePower = [&](const PhaseResult &r, double period, double steps) {
    double once = 0;
    for (size_t i = 0; i < r.graph.ops.size(); ++i) {
      OpClass cls = r.graph.ops[i].cls;
      if (cls == OpClass::Embedding || cls == OpClass::Head)
        once += r.tiles[i].energy * r.graph.ops[i].count;
    }
    double perStage = r.step.computeEnergy - once * (1 - 1 / pp);
    // With fewer requests than replicas, the idle replicas only leak.
    double busy = std::min(1.0, double(w.batch) / double(s.dp));
    return chip.staticPower +
           steps * busy * (perStage + r.step.networkEnergy / devices) / period;
  };
  out.decode.power = phasePower(out.decode, out.tpot, M);
  out.prefill.power = phasePower(out.prefill, out.ttft, M);
  out.avgPower = out.decode.power;
  out.peakPower = std::max(out.decode.power, out.prefill.power);
  out.energyPerToken = out.decode.power * devices * out.tpot / double(w.batch);
  out.tokensPerJoule = 1.0 / out.energyPerToken;

  // Temperatures at the decode power: the DRAM's share is its traffic
  // plus background.
  thermal::PowerInput pin;
  pin.logicStatic = chip.staticPower;
  double dramDynamic = M * out.decode.step.dramBytes * ctx.dramEnergyPerByte /
                       out.tpot;
  pin.dramPerStack =
      (dramDynamic + ctx.dramBackground) / double(chip.memory->stacks);
  pin.logicDynamic =
      std::max(0.0, out.decode.power - chip.staticPower - dramDynamic);
  out.thermal = thermal::evaluate(chip, pin);
  if (!explain)
    return true;

  // What binds the decode step.
  TimeSplit total;
  for (const TimeSplit &t : out.decode.step.byClass) {
    total.compute += t.compute;
    total.memory += t.memory;
    total.network += t.network;
  }
  double step = total.compute + total.memory + total.network;
  auto share = [&](double v) { return fmt::format("{:.0f}%", 100 * v / step); };
  double launchBound = 0;
  for (size_t i = 0; i < out.decode.graph.ops.size(); ++i)
    if (out.decode.graph.ops[i].kind != OpKind::Collective &&
        out.decode.tiles[i].cost.bound == compute::Bound::Launch)
      launchBound += out.decode.step.opTime[i];
  if (launchBound > 0.5 * step)
    out.limits.push_back("decode is launch-bound: operators too small to "
                         "fill the chip (kernel fixed costs) take " +
                         share(launchBound) + " of a step");
  else if (total.memory >= total.compute && total.memory >= total.network)
    out.limits.push_back("decode is memory-bound: DRAM-bound operators take " +
                         share(total.memory) + " of a step");
  else if (total.compute >= total.network)
    out.limits.push_back("decode is compute-bound: compute-bound operators "
                         "take " + share(total.compute) + " of a step");
  else
    out.limits.push_back("decode is network-bound: exposed collectives take " +
                         share(total.network) + " of a step");
  out.limits.push_back(fmt::format(
      "memory per device {} of {} ({:.0f}% used)",
      formatQuantity(out.memory.total(), Dim::bytes(), 4),
      formatQuantity(capacity, Dim::bytes(), 4),
      100 * out.memory.total() / capacity));
  if (m.kvRank == 0 && s.tp > m.kvHeads)
    out.warnings.push_back(fmt::format(
        "tp {} exceeds the {} KV heads: each KV head is replicated on {} "
        "devices",
        s.tp, m.kvHeads, s.tp / m.kvHeads));
  if (m.layers % s.pp)
    out.warnings.push_back(fmt::format(
        "{} layers do not split evenly over {} stages; the largest stage "
        "sets the pace",
        m.layers, s.pp));
  if (M < pp)
    out.warnings.push_back(fmt::format(
        "{} microbatches for {} stages leave the pipeline idle {:.0f}% of a "
        "token period",
        int64_t(M), s.pp, 100 * (pp - M) / pp));
  for (const PhaseResult *ph : {&out.prefill, &out.decode})
    if (ph->present && ph->overLimit)
      out.warnings.push_back(fmt::format(
          "{}: even at {:.0f}% of the clock the chip exceeds its power or "
          "temperature limit",
          ph == &out.prefill ? "prefill" : "decode", 100 * ph->clockScale));
    else if (ph->present && ph->clockScale < 1)
      out.warnings.push_back(fmt::format(
          "{} runs at {:.0f}% of the clock: at full clock the chip would "
          "exceed its power or temperature limit (times include it)",
          ph == &out.prefill ? "prefill" : "decode", 100 * ph->clockScale));
  if (!out.thermal.feasible)
    out.warnings.push_back("no clock keeps the chip under its thermal limit");
  return true;
}

bool ds::evaluateDesign(const DesignIR &d, const net::NetworkModel &network,
                        DiagEngine &diags, DesignMetrics &out,
                        const PassObserver &observe, bool explain,
                        bool checkCapacity) {
  return evaluateUnchecked(d, network, diags, out, observe, explain,
                           checkCapacity) &&
         checkMetrics(out, diags);
}
