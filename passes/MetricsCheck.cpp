//===- MetricsCheck.cpp - No NaN, infinity or negative time out -----------===//
#include "passes/MetricsCheck.h"

#include "ir/IR.h"
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
/// Walks the numbers a report prints (DesignReport.cpp) and keeps the first
/// bad one.
struct Checker {
  std::string bad;
  /// "decode" while a phase's numbers are checked: names are only built
  /// for a bad value (every sweep leaf runs this).
  const char *prefix = nullptr;
  void operator()(const char *name, double v) {
    if (bad.empty() && (!std::isfinite(v) || v < 0))
      bad = fmt::format("{}{}{} = {}", prefix ? prefix : "", prefix ? "." : "",
                        name, show(v));
  }
  static std::string show(double v) {
    return std::isnan(v) ? "NaN" : fmt::format("{}", v);
  }
  /// Absolute temperatures: finite and above absolute zero.
  void kelvin(const char *name, double v) {
    if (bad.empty() && !(std::isfinite(v) && v > 0))
      bad = fmt::format("{} = {} K", name, show(v));
  }
  void phase(const char *name, const PhaseResult &p) {
    if (!p.present)
      return;
    prefix = name;
    (*this)("stage_step", p.step.time);
    (*this)("bubble", p.bubble);
    (*this)("power", p.power);
    (*this)("flops", p.step.flops);
    (*this)("dram_bytes", p.step.dramBytes);
    (*this)("collectives", p.step.commTime);
    (*this)("collectives_exposed", p.step.commExposed);
    for (const TimeSplit &t : p.step.byClass) {
      (*this)("compute", t.compute);
      (*this)("memory", t.memory);
      (*this)("network", t.network);
    }
    prefix = nullptr;
  }
};
} // namespace

std::string ds::firstInsaneMetric(const DesignMetrics &m) {
  Checker c;
  c("memory.weights", m.memory.weights);
  c("memory.kv_cache", m.memory.kvCache);
  c("memory.activations", m.memory.activations);
  c("memory.capacity", m.memory.capacity);
  if (!m.feasible)
    return c.bad;
  c("ttft", m.ttft);
  c("tpot", m.tpot);
  c("end_to_end", m.endToEnd);
  c("stps", m.stps);
  c("tokens_per_s_per_device", m.tokensPerDevice);
  c("prefill_tokens_per_s", m.prefillTps);
  c("energy_per_token", m.energyPerToken);
  c("tokens_per_J", m.tokensPerJoule);
  c("avg_power", m.avgPower);
  c("peak_power", m.peakPower);
  c.kelvin("logic temperature", m.thermal.logicTemperature);
  for (double t : m.thermal.layers)
    c.kelvin("DRAM temperature", t);
  c.phase("decode", m.decode);
  c.phase("prefill", m.prefill);
  return c.bad;
}

bool ds::checkMetrics(const DesignMetrics &m, DiagEngine &diags) {
  std::string bad = firstInsaneMetric(m);
  if (bad.empty())
    return true;
  diags.report(m.design->loc, DiagKind::NonFiniteMetric, m.design->name, bad);
  return false;
}

bool ds::checkCollectiveCost(const DesignIR &d, llvm::StringRef what,
                             const net::CollectiveCost &c, DiagEngine &diags) {
  Checker k;
  k("bytes", c.bytes);
  k("time", c.time);
  k("latency", c.latency);
  k("bandwidth time", c.bandwidth);
  k("energy", c.energy);
  k("hottest link bytes", c.hottestBytes);
  k("hottest link utilisation", c.hottestUtilisation);
  if (k.bad.empty())
    return true;
  diags.report(d.loc, DiagKind::NonFiniteMetric, d.name,
               fmt::format("collective '{}' {} {}", what.str(),
                           net::collectiveName(c.collective).str(), k.bad));
  return false;
}
