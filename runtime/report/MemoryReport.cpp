//===- MemoryReport.cpp - A memory under access patterns ------------------===//
#include "runtime/report/MemoryReport.h"

#include "frontend/Units.h"
#include <algorithm>
#include <fmt/format.h>

using namespace ds;

namespace {
dram::Pattern makePattern(dram::PatternKind kind, double request,
                          double writes, double outstanding) {
  dram::Pattern p;
  p.kind = kind;
  p.requestBytes = request;
  p.writeFraction = writes;
  p.outstanding = outstanding;
  return p;
}

std::string q(double v, const Dim &d) { return formatQuantity(v, d, 4); }
std::string pct(double f) { return fmt::format("{:.1f}%", 100 * f); }
} // namespace

std::vector<PatternReport> ds::referencePatterns(const MemoryIR &m) {
  using K = dram::PatternKind;
  double line = 4 * m.sector; // a 128 B L2 line fill on 32 B sectors
  auto named = [](const char *name, const dram::Pattern &p) {
    return PatternReport{
        std::string(name) + " " + formatQuantity(p.requestBytes, Dim::bytes()),
        p,
        {}};
  };
  return {named("stream reads", makePattern(K::Sequential, line, 0, kAllInFlight)),
          named("stream 30% writes", makePattern(K::Sequential, line, 0.3, kAllInFlight)),
          named("random sector reads", makePattern(K::Random, m.sector, 0, kAllInFlight)),
          named("random line reads", makePattern(K::Random, line, 0, kAllInFlight)),
          named("one request in flight", makePattern(K::Random, line, 0, 1))};
}

std::string ds::describePattern(const dram::Pattern &p) {
  std::string s = dram::patternKindSpellings()[unsigned(p.kind)];
  switch (p.kind) {
  case dram::PatternKind::Stride:
    s += " " + formatQuantity(p.param, Dim::bytes());
    break;
  case dram::PatternKind::RowLocal:
  case dram::PatternKind::Banks:
    s += fmt::format(" {:g}", p.param);
    break;
  default:
    break;
  }
  s += " " + formatQuantity(p.requestBytes, Dim::bytes());
  if (p.writeFraction > 0)
    s += fmt::format(", {:g}% writes", 100 * p.writeFraction);
  if (p.outstanding < kAllInFlight)
    s += fmt::format(", {:g} in flight", p.outstanding);
  if (p.rowHitRate >= 0)
    s += fmt::format(", hits {:g}", p.rowHitRate);
  return s;
}

MemoryReport ds::evaluateMemory(const MemoryIR &m, double temperature,
                                dram::Vantage vantage,
                                std::vector<PatternReport> patterns) {
  MemoryReport r;
  r.memory = &m;
  r.temperature = temperature;
  r.vantage = vantage;
  r.patterns = std::move(patterns);
  for (PatternReport &p : r.patterns) {
    p.result = dram::evaluateStack(m, p.pattern, temperature, vantage);
    // Say so when the controller buffer held fewer than the pattern asked.
    double held = p.result.outstanding;
    if (p.pattern.outstanding < kAllInFlight && held < p.pattern.outstanding)
      p.name += fmt::format(" ({:g} held by the {} buffer)", held,
                            formatQuantity(m.buffer, Dim::bytes()));
  }
  return r;
}

void ds::printMemoryReport(const MemoryReport &r, llvm::raw_ostream &os) {
  const MemoryIR &m = *r.memory;
  const dram::StackResult &first = r.patterns.front().result;
  os << "memory " << m.name << ": " << m.stacks << " stack(s) x " << m.layers
     << " layers (" << m.connectedLayers << " connected, "
     << spelling(EnumId::VerticalLink, m.vertical)
     << (m.onLogic == Bool::True ? ", on logic" : ", beside logic") << "), "
     << q(first.capacity, Dim::bytes()) << "\n";
  os << "  peak           " << q(first.peak, Dim::bandwidth()) << " (channels "
     << q(first.channelPeak, Dim::bandwidth()) << ", vertical links "
     << q(first.verticalPeak, Dim::bandwidth()) << ")\n";
  os << "  DRAM at        " << fmt::format("{:.1f} C", r.temperature - 273.15)
     << ", refresh " << pct(first.refreshOverhead)
     << " of time, recharge hiding " << pct(first.rechargeEfficiency)
     << ", background " << q(first.backgroundPower, Dim::power()) << "\n";
  if (r.vantage == dram::Vantage::Controller)
    os << "  seen from      the controller (a memory alone: no on-chip round "
          "trip)\n";
  size_t width = 30;
  for (const PatternReport &p : r.patterns)
    width = std::max(width, p.name.size());
  os << fmt::format("  {:<{}} {:>11} {:>8} {:>10} {:>11}  {}\n", "pattern",
                    width, "bandwidth", "of peak", "latency", "energy",
                    "bound by");
  for (const PatternReport &p : r.patterns) {
    const dram::StackResult &s = p.result;
    os << fmt::format("  {:<{}} {:>11} {:>8} {:>10} {:>11}  {}\n", p.name,
                      width, q(s.bandwidth, Dim::bandwidth()),
                      pct(s.bandwidth / s.peak), q(s.latency, Dim::time()),
                      formatQuantity(s.energyPerByte, Dim::energyPerBit(), 3),
                      s.boundBy);
  }
}

void ds::writeMemoryJSON(const MemoryReport &r, llvm::json::OStream &j) {
  const dram::StackResult &f = r.patterns.front().result;
  j.attributeObject("memory", [&] {
    j.attribute("name", r.memory->name);
    j.attribute("capacity_B", f.capacity);
    j.attribute("peak_Bps", f.peak);
    j.attribute("channel_peak_Bps", f.channelPeak);
    j.attribute("vertical_peak_Bps", f.verticalPeak);
    j.attribute("dram_temperature_C", r.temperature - 273.15);
    j.attribute("seen_from", r.vantage == dram::Vantage::Cores ? "cores"
                                                               : "controller");
    j.attribute("refresh_overhead", f.refreshOverhead);
    j.attribute("recharge_efficiency", f.rechargeEfficiency);
    j.attribute("background_W", f.backgroundPower);
    j.attributeArray("patterns", [&] {
      for (const PatternReport &p : r.patterns) {
        j.object([&] {
          j.attribute("name", p.name);
          j.attribute("request_B", p.pattern.requestBytes);
          j.attribute("write_fraction", p.pattern.writeFraction);
          j.attribute("bandwidth_Bps", p.result.bandwidth);
          j.attribute("fraction_of_peak", p.result.bandwidth / p.result.peak);
          j.attribute("latency_s", p.result.latency);
          j.attribute("row_hit_rate", p.result.rowHitRate);
          j.attribute("energy_pJ_per_bit", p.result.energyPerByte / 8 / 1e-12);
          j.attribute("bound_by", p.result.boundBy);
          j.attributeObject("limits_Bps", [&] {
            for (const dram::StackLimit &l : p.result.limits)
              j.attribute(l.name, l.bandwidth);
          });
        });
      }
    });
  });
}
