//===- DesignReport.cpp - A design's report: text, JSON, CSV --------------===//
#include "passes/DesignReport.h"

#include "frontend/Units.h"
#include <algorithm>
#include <fmt/format.h>

using namespace ds;

namespace {
std::string q(double v, const Dim &d) { return formatQuantity(v, d, 4); }
std::string c(double kelvin) { return fmt::format("{:.1f} C", kelvin - 273.15); }
/// Token rates: whole numbers from 1,000 up (no exponents in a report).
std::string rate(double v) {
  return v >= 1000 ? fmt::format("{:.0f}", v) : formatNumber(v, 4);
}

/// The hottest DRAM die (the logic when the chip has no stacked DRAM).
double dramMax(const DesignMetrics &m) {
  return m.thermal.layers.empty()
             ? m.thermal.logicTemperature
             : *std::max_element(m.thermal.layers.begin(),
                                 m.thermal.layers.end());
}

TimeSplit sum(const ScheduledStep &s) {
  TimeSplit t;
  for (const TimeSplit &x : s.byClass) {
    t.compute += x.compute;
    t.memory += x.memory;
    t.network += x.network;
  }
  return t;
}

void printStep(const char *title, const PhaseResult &p, llvm::raw_ostream &os) {
  const ScheduledStep &s = p.step;
  os << fmt::format("{} of one stage, one microbatch: {}\n", title,
                    q(s.time, Dim::time()));
  os << fmt::format("  {:<10} {:>10} {:>10} {:>10} {:>10} {:>6}\n", "class",
                    "compute", "memory", "network", "total", "share");
  for (unsigned i = 0; i < kOpClasses; ++i) {
    const TimeSplit &t = s.byClass[i];
    if (t.total() <= 0)
      continue;
    os << fmt::format("  {:<10} {:>10} {:>10} {:>10} {:>10} {:>5.1f}%\n",
                      opClassName(OpClass(i)), q(t.compute, Dim::time()),
                      q(t.memory, Dim::time()), q(t.network, Dim::time()),
                      q(t.total(), Dim::time()),
                      100 * t.total() / std::max(s.time, 1e-300));
  }
  if (p.bubble > 0)
    os << fmt::format("  {:<10} {:>43}   (pipeline idle per {})\n", "bubble",
                      q(p.bubble, Dim::time()),
                      title[0] == 'd' ? "token period" : "prefill");
}

void splitJSON(llvm::json::OStream &j, const TimeSplit &t) {
  j.attribute("compute_s", t.compute);
  j.attribute("memory_s", t.memory);
  j.attribute("network_s", t.network);
}

void phaseJSON(llvm::json::OStream &j, const char *name, const PhaseResult &p) {
  j.attributeObject(name, [&] {
    j.attribute("stage_step_s", p.step.time);
    j.attribute("bubble_s", p.bubble);
    j.attribute("power_W", p.power);
    j.attribute("flops_per_device", p.step.flops);
    j.attribute("dram_bytes_per_device", p.step.dramBytes);
    j.attribute("collectives_s", p.step.commTime);
    j.attribute("collectives_exposed_s", p.step.commExposed);
    splitJSON(j, sum(p.step));
    j.attributeObject("breakdown", [&] {
      for (unsigned i = 0; i < kOpClasses; ++i)
        j.attributeObject(opClassName(OpClass(i)),
                          [&] { splitJSON(j, p.step.byClass[i]); });
    });
  });
}

const char *const kColumns[] = {
    "design", "feasible", "devices", "tp", "ep", "sp", "cp", "dp", "pp",
    "batch", "prompt", "generate", "ttft_s", "tpot_s", "end_to_end_s", "stps",
    "tokens_per_s_per_device", "prefill_tokens_per_s", "energy_per_token_J",
    "tokens_per_J", "avg_power_W", "peak_power_W", "dram_max_C",
    "weights_B", "kv_cache_B", "activations_B", "capacity_B",
    "decode_step_s", "decode_compute_s", "decode_memory_s",
    "decode_network_s", "decode_bubble_s"};
} // namespace

void ds::printDesignReport(const DesignMetrics &m, llvm::raw_ostream &os) {
  const DesignIR &d = *m.design;
  const WorkloadIR &w = *d.workload;
  const NetworkIR &n = *d.system->network;
  std::string levels;
  for (const LevelIR &l : n.levels)
    levels += (levels.empty() ? "" : " x ") + l.name + " " + l.topology.str();
  os << fmt::format("design {}: {} on {} x {}, {}, batch {}, prompt {}, "
                    "generate {}\n",
                    d.name, w.model->name, m.devices, d.system->chip->name,
                    spelling(EnumId::Phase, w.phase).str(), w.batch, w.prompt,
                    w.generate);
  os << fmt::format("  network {}: {}; schedule {}: {}, microbatches {}, "
                    "overlap {}\n",
                    n.name, levels, d.schedule->name, m.layout.describe(),
                    effectiveMicrobatches(d),
                    spelling(EnumId::Overlap, d.schedule->overlap).str());
  const MemoryUse &u = m.memory;
  os << fmt::format("memory per device: weights {}, KV cache {}, activations "
                    "{}: {} of {} ({:.0f}%)\n",
                    q(u.weights, Dim::bytes()), q(u.kvCache, Dim::bytes()),
                    q(u.activations, Dim::bytes()), q(u.total(), Dim::bytes()),
                    q(u.capacity, Dim::bytes()),
                    100 * u.total() / u.capacity);
  if (!m.feasible) {
    os << "INFEASIBLE: " << m.infeasible << "\n";
    return;
  }
  os << "metrics\n";
  os << fmt::format("  {:<18} {}\n", "TTFT", q(m.ttft, Dim::time()));
  os << fmt::format("  {:<18} {}\n", "TPOT", q(m.tpot, Dim::time()));
  os << fmt::format("  {:<18} {}  (TTFT + {} x TPOT)\n", "end-to-end",
                    q(m.endToEnd, Dim::time()), w.generate - 1);
  os << fmt::format("  {:<18} {} tokens/s (STPS)\n", "system decode",
                    rate(m.stps));
  os << fmt::format("  {:<18} {} tokens/s\n", "per device",
                    rate(m.tokensPerDevice));
  os << fmt::format("  {:<18} {} tokens/s\n", "system prefill",
                    rate(m.prefillTps));
  os << fmt::format("  {:<18} {}/token ({} tokens/J)\n", "energy",
                    q(m.energyPerToken, Dim::energy()),
                    formatNumber(m.tokensPerJoule, 4));
  os << fmt::format("  {:<18} average {} (decode), peak {} (prefill)\n",
                    "power per device", q(m.avgPower, Dim::power()),
                    q(m.peakPower, Dim::power()));
  if (!m.thermal.layers.empty())
    os << fmt::format("  {:<18} {} .. {} (logic {}; DRAM timed at {})\n",
                      "DRAM layers",
                      c(*std::min_element(m.thermal.layers.begin(),
                                          m.thermal.layers.end())),
                      c(*std::max_element(m.thermal.layers.begin(),
                                          m.thermal.layers.end())),
                      c(m.thermal.logicTemperature), c(m.dramTemperature));
  else
    os << fmt::format("  {:<18} logic {}\n", "temperature",
                      c(m.thermal.logicTemperature));
  if (m.decode.present)
    printStep("decode step", m.decode, os);
  if (m.prefill.present)
    printStep("prefill", m.prefill, os);
  os << "limits\n";
  for (const std::string &l : m.limits)
    os << "  - " << l << "\n";
  if (!m.warnings.empty()) {
    os << "warnings\n";
    for (const std::string &l : m.warnings)
      os << "  - " << l << "\n";
  }
}

void ds::writeDesignJSON(const DesignMetrics &m, llvm::json::OStream &j) {
  const DesignIR &d = *m.design;
  const WorkloadIR &w = *d.workload;
  j.attribute("schema", "deepstack-report");
  j.attribute("version", kReportSchemaVersion);
  j.attribute("design", d.name);
  j.attribute("model", w.model->name);
  j.attribute("chip", d.system->chip->name);
  j.attribute("network", d.system->network->name);
  j.attribute("devices", m.devices);
  j.attribute("phase", spelling(EnumId::Phase, w.phase));
  j.attribute("batch", w.batch);
  j.attribute("prompt", w.prompt);
  j.attribute("generate", w.generate);
  j.attributeObject("schedule", [&] {
    for (unsigned i = 0; i < kParallelDims; ++i)
      j.attribute(parallelDimName(ParallelDim(i)), m.layout.degree[i]);
    j.attribute("microbatches", d.schedule->microbatches);
    j.attribute("overlap", spelling(EnumId::Overlap, d.schedule->overlap));
  });
  j.attributeObject("memory", [&] {
    j.attribute("weights_B", m.memory.weights);
    j.attribute("kv_cache_B", m.memory.kvCache);
    j.attribute("activations_B", m.memory.activations);
    j.attribute("total_B", m.memory.total());
    j.attribute("capacity_B", m.memory.capacity);
  });
  j.attribute("feasible", m.feasible);
  if (!m.feasible) {
    j.attribute("infeasible", m.infeasible);
    return;
  }
  j.attributeObject("metrics", [&] {
    j.attribute("ttft_s", m.ttft);
    j.attribute("tpot_s", m.tpot);
    j.attribute("end_to_end_s", m.endToEnd);
    j.attribute("stps", m.stps);
    j.attribute("tokens_per_s_per_device", m.tokensPerDevice);
    j.attribute("prefill_tokens_per_s", m.prefillTps);
    j.attribute("energy_per_token_J", m.energyPerToken);
    j.attribute("tokens_per_J", m.tokensPerJoule);
    j.attribute("avg_power_W", m.avgPower);
    j.attribute("peak_power_W", m.peakPower);
    j.attribute("logic_C", m.thermal.logicTemperature - 273.15);
    j.attribute("dram_max_C", dramMax(m) - 273.15);
    j.attributeArray("dram_layers_C", [&] {
      for (double t : m.thermal.layers)
        j.value(t - 273.15);
    });
    j.attribute("throttled", m.thermal.throttled);
  });
  phaseJSON(j, "decode", m.decode);
  phaseJSON(j, "prefill", m.prefill);
  j.attributeArray("limits", [&] {
    for (const std::string &l : m.limits)
      j.value(l);
  });
  j.attributeArray("warnings", [&] {
    for (const std::string &l : m.warnings)
      j.value(l);
  });
}

void ds::printDesignCSVHeader(llvm::raw_ostream &os) {
  for (size_t i = 0; i < std::size(kColumns); ++i)
    os << (i ? "," : "") << kColumns[i];
  os << "\n";
}

void ds::printDesignCSVRow(const DesignMetrics &m, llvm::raw_ostream &os) {
  const DesignIR &d = *m.design;
  const WorkloadIR &w = *d.workload;
  std::vector<std::string> v;
  auto num = [&](double x) { v.push_back(fmt::format("{:.15g}", x)); };
  auto timed = [&](double x) {
    if (m.feasible)
      num(x);
    else
      v.push_back("");
  };
  v.push_back(d.name);
  v.push_back(m.feasible ? "true" : "false");
  num(double(m.devices));
  for (unsigned i = 0; i < kParallelDims; ++i)
    num(double(m.layout.degree[i]));
  num(double(w.batch));
  num(double(w.prompt));
  num(double(w.generate));
  TimeSplit dec = sum(m.decode.step);
  for (double x : {m.ttft, m.tpot, m.endToEnd, m.stps, m.tokensPerDevice,
                   m.prefillTps, m.energyPerToken, m.tokensPerJoule,
                   m.avgPower, m.peakPower, dramMax(m) - 273.15})
    timed(x);
  for (double x : {m.memory.weights, m.memory.kvCache, m.memory.activations,
                   m.memory.capacity})
    num(x);
  for (double x : {m.decode.step.time, dec.compute, dec.memory, dec.network,
                   m.decode.bubble})
    timed(x);
  for (size_t i = 0; i < v.size(); ++i)
    os << (i ? "," : "") << v[i];
  os << "\n";
}
