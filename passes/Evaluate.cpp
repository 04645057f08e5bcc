//===- Evaluate.cpp - A design's metrics ----------------------------------===//
//
// Pipeline of pp stages with M microbatches of mb = ceil(ceil(batch/dp)/M)
// requests; T_s = one microbatch through one stage:
//   decode   token period = max(M, pp) * T_s (TPOT); STPS = batch / TPOT;
//            bubble = (pp - M) * T_s when M < pp
//   prefill  TTFT = (pp + M - 1) * T_s; bubble = (pp - 1) * T_s
//   energy   per token period: devices * (static * TPOT + M * E_device)
//            + M * E_network, over batch tokens
//
//===----------------------------------------------------------------------===//
#include "passes/Evaluate.h"

#include "frontend/Units.h"
#include "passes/Clock.h"
#include "passes/ModelToOps.h"
#include "passes/NetworkAbstraction.h"
#include "passes/Partition.h"
#include "runtime/dram/StackModel.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
StepShape shapeFor(const DesignIR &d, Phase ph, int64_t context) {
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  StepShape st;
  st.phase = ph;
  double perReplica = std::ceil(double(w.batch) / double(s.dp));
  st.sequences = std::ceil(perReplica / double(effectiveMicrobatches(d)));
  st.queryTokens = ph == Phase::Prefill ? double(w.prompt) : 1.0;
  st.context = context;
  st.imbalance = w.imbalance;
  return st;
}

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
  for (const Op &op : g.ops)
    if (op.kind == OpKind::Gemm)
      u.weights += op.weightBytes * op.count;
  if (m.tieEmbeddings == Bool::False) // the head's matrix is counted above
    u.weights += double(m.vocab) * double(m.hidden) / double(s.tp) *
                 dtypeBytes(m.weights);
  double stageLayers = std::ceil(double(m.layers) / double(s.pp));
  double perTokenLayer =
      (m.kvRank > 0 ? double(m.kvRank + m.ropeDim)
                    : 2.0 * double(std::max<int64_t>(1, m.kvHeads / s.tp) *
                                   m.headDim)) *
      dtypeBytes(m.kvCache);
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

/// Costs one phase; decode averages the step over kDecodeSamples KV lengths
/// (only attention depends on them).
bool runPhase(const DesignIR &d, const ParallelLayout &l, Phase ph,
              const ChipContext &chip, const net::NetworkModel &network,
              DiagEngine &diags, PhaseResult &r, const PassObserver &observe) {
  const WorkloadIR &w = *d.workload;
  const ScheduleIR &s = *d.schedule;
  r.present = true;
  unsigned samples = ph == Phase::Decode ? kDecodeSamples : 1;
  auto contextAt = [&](unsigned i) {
    if (ph == Phase::Prefill)
      return w.prompt;
    return w.prompt + int64_t(std::llround((double(i) + 0.5) *
                                           double(w.generate) / samples));
  };
  r.graph = modelToOps(*d.workload->model, shapeFor(d, ph, contextAt(samples / 2)));
  if (observe)
    observe("model-to-ops", r);
  partition(d, l, r.graph);
  if (observe)
    observe("partition", r);
  r.tiles = tile(chip, r.graph);
  if (observe)
    observe("tiling", r);
  r.comm.assign(r.graph.ops.size(), net::CollectiveCost());
  for (size_t i = 0; i < r.graph.ops.size(); ++i) {
    const Op &op = r.graph.ops[i];
    if (op.kind != OpKind::Collective)
      continue;
    auto cost = network.price(op.comm.collective, op.comm.algorithm,
                              l.group(op.comm.dim), op.comm.bytes);
    if (!cost) {
      diags.report(s.loc, DiagKind::CollectiveNotPriced,
                   parallelDimName(op.comm.dim),
                   net::collectiveName(op.comm.collective),
                   llvm::toString(cost.takeError()));
      return false;
    }
    r.comm[i] = *cost;
  }
  if (observe)
    observe("network-abstraction", r);
  // Average the stage step over the KV lengths, at clock scale `clock`.
  auto averaged = [&](double clock) {
    double energyScale = std::pow(clock, chip.chip->dvfsAlpha - 1);
    ScheduledStep sum;
    for (unsigned k = 0; k < samples; ++k) {
      std::vector<TiledOp> tiles = r.tiles;
      if (samples > 1)
        for (size_t i = 0; i < r.graph.ops.size(); ++i)
          if (r.graph.ops[i].kind == OpKind::Attention) {
            Op op = r.graph.ops[i];
            op.attn.context = std::max<int64_t>(
                1, int64_t(std::ceil(double(contextAt(k)) / double(s.cp))));
            tiles[i] = tileOp(chip, op);
          }
      if (clock < 1)
        for (TiledOp &t : tiles) {
          t.cost.time = timeAtClock(t.cost, clock);
          t.energy = t.dramEnergy + (t.energy - t.dramEnergy) * energyScale;
        }
      ScheduledStep st =
          scheduleStep(r.graph, tiles, r.comm, s.overlap, effectiveMicrobatches(d),
                       chip.chip->launch / clock);
      if (k == 0) {
        sum = st;
        continue;
      }
      sum.time += st.time;
      for (unsigned c = 0; c < kOpClasses; ++c) {
        sum.byClass[c].compute += st.byClass[c].compute;
        sum.byClass[c].memory += st.byClass[c].memory;
        sum.byClass[c].network += st.byClass[c].network;
      }
      for (size_t i = 0; i < st.opTime.size(); ++i)
        sum.opTime[i] += st.opTime[i];
      sum.commTime += st.commTime;
      sum.commExposed += st.commExposed;
      sum.computeEnergy += st.computeEnergy;
      sum.networkEnergy += st.networkEnergy;
      sum.flops += st.flops;
      sum.dramBytes += st.dramBytes;
    }
    double inv = 1.0 / samples;
    sum.time *= inv;
    for (TimeSplit &t : sum.byClass) {
      t.compute *= inv;
      t.memory *= inv;
      t.network *= inv;
    }
    for (double &t : sum.opTime)
      t *= inv;
    sum.commTime *= inv;
    sum.commExposed *= inv;
    sum.computeEnergy *= inv;
    sum.networkEnergy *= inv;
    sum.flops *= inv;
    sum.dramBytes *= inv;
    return sum;
  };
  ScheduledStep sum = averaged(1.0);
  // The clock the chip sustains while it runs this step: logic power at
  // full clock from the step's energy (its links' SerDes included: they
  // are inside the chip's TDP), the DRAM's from its traffic.
  // Link power does not scale with the core clock: it joins the DRAM's.
  double devices = double(d.system->network->devices());
  double dramPower = sum.dramBytes * chip.dramEnergyPerByte / sum.time;
  double linkPower = sum.networkEnergy / devices / sum.time;
  double logicPower = sum.computeEnergy / sum.time - dramPower;
  r.clockScale =
      sustainedClock(*chip.chip, logicPower, dramPower + linkPower);
  // DRAM-bound work does not stretch with the clock, so the step's power
  // falls more slowly than clock^alpha: settle the clock on the actual
  // power within a few rounds (the TDP bound; temperature is its proxy).
  const ChipIR &c = *chip.chip;
  for (int round = 0; round < 4 && r.clockScale < 1; ++round) {
    sum = averaged(r.clockScale);
    double fixed = c.staticPower + (sum.dramBytes * chip.dramEnergyPerByte +
                                    sum.networkEnergy / devices) /
                                       sum.time;
    double logic = sum.computeEnergy / sum.time -
                   sum.dramBytes * chip.dramEnergyPerByte / sum.time;
    if (fixed + logic <= c.tdp * 1.001 || logic <= 0)
      break;
    r.clockScale *= std::pow(std::max(0.0, c.tdp - fixed) / logic,
                             1.0 / c.dvfsAlpha);
  }
  r.step = sum;
  if (observe)
    observe("overlap-scheduling", r);
  return true;
}
} // namespace

bool ds::evaluateDesign(const DesignIR &d, const net::NetworkModel &network,
                        DiagEngine &diags, DesignMetrics &out,
                        const PassObserver &observe) {
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
  thermal::PowerInput full;
  full.logicStatic = chip.staticPower;
  full.logicDynamic = std::max(0.0, chip.tdp - chip.staticPower);
  thermal::ThermalResult hot = thermal::evaluate(chip, full);
  out.dramTemperature =
      hot.layers.empty() ? chip.ambient
                         : *std::max_element(hot.layers.begin(), hot.layers.end());
  ChipContext ctx = chipContext(chip, out.dramTemperature);

  // Capacity first: an over-full design is reported, not timed.
  dram::Pattern probe;
  probe.requestBytes = 4 * chip.memory->sector;
  double capacity =
      dram::evaluateStack(*chip.memory, probe, out.dramTemperature).capacity;
  OpGraph decodeGraph = buildGraph(d, out.layout, Phase::Decode, w.prompt);
  out.memory = memoryUse(d, decodeGraph, capacity);
  if (out.memory.total() > capacity) {
    out.feasible = false;
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

  double Tp = out.prefill.step.time, Td = out.decode.step.time;
  out.ttft = (pp + M - 1) * Tp;
  out.prefill.bubble = (pp - 1) * Tp;
  out.tpot = std::max(M, pp) * Td;
  out.decode.bubble = std::max(0.0, pp - M) * Td;
  out.endToEnd = out.ttft + double(w.generate) * out.tpot;
  out.stps = double(w.batch) / out.tpot;
  out.tokensPerDevice = out.stps / double(out.devices);
  out.prefillTps = double(w.batch) * double(w.prompt) / out.ttft;

  double devices = double(out.devices);
  auto phasePower = [&](const PhaseResult &r, double period, double steps) {
    return chip.staticPower +
           steps * (r.step.computeEnergy + r.step.networkEnergy / devices) /
               period;
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
  double background =
      dram::evaluateStack(*chip.memory, probe, out.dramTemperature)
          .backgroundPower;
  pin.dramPerStack = (dramDynamic + background) / double(chip.memory->stacks);
  pin.logicDynamic =
      std::max(0.0, out.decode.power - chip.staticPower - dramDynamic);
  out.thermal = thermal::evaluate(chip, pin);

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
    if (ph->present && ph->clockScale < 1)
      out.warnings.push_back(fmt::format(
          "{} runs at {:.0f}% of the clock: at full clock the chip would "
          "exceed its power or temperature limit (times include it)",
          ph == &out.prefill ? "prefill" : "decode", 100 * ph->clockScale));
  if (!out.thermal.feasible)
    out.warnings.push_back("no clock keeps the chip under its thermal limit");
  return true;
}
