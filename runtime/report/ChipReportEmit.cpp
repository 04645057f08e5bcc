//===- ChipReportEmit.cpp - Chip report as text and JSON ------------------===//
//
// Text for people (human units, aligned columns), JSON for programs (SI
// numbers, keys suffixed with their unit). Both print the same fields.
//
//===----------------------------------------------------------------------===//
#include "runtime/report/ChipReport.h"

#include "frontend/Units.h"
#include "llvm/Support/JSON.h"
#include <fmt/format.h>

using namespace ds;

namespace {
/// Reports show four significant digits; JSON keeps full precision.
std::string q(double v, const Dim &d) { return formatQuantity(v, d, 4); }
std::string pct(double f) { return fmt::format("{:.1f}%", 100 * f); }
std::string celsius(double k) { return fmt::format("{:.1f} C", k - 273.15); }
bool shows(Component want, Component c) {
  return want == Component::All || want == c;
}

void printCompute(const ChipReport &r, llvm::raw_ostream &os) {
  const ChipIR &c = *r.chip;
  os << "compute " << c.name << ": " << c.cores << " cores at "
     << q(c.clock, Dim::frequency()) << ", bf16 "
     << q(c.peakBF16, Dim::flopRate()) << ", fp8 "
     << q(c.peakFP8, Dim::flopRate()) << ", SRAM "
     << q(c.sramPerCore, Dim::bytes()) << "/core, L2 " << q(c.l2, Dim::bytes())
     << "\n";
  os << "  ridge point    " << fmt::format("{:.0f}", r.ridgeIntensity)
     << " FLOP/byte (bf16 peak over streaming bandwidth)\n";
  os << fmt::format("  {:<44} {:>10} {:>12} {:>13} {:>6}  {}\n", "operator",
                    "time", "achieved", "tile", "waves", "bound by");
  for (const OpReport &o : r.ops) {
    const compute::OpCost &k = o.cost;
    std::string tile = fmt::format("{}x{}x{}", k.tile.m, k.tile.n, k.tile.k);
    os << fmt::format("  {:<44} {:>10} {:>12} {:>13} {:>6.2f}  {}\n", o.name,
                      q(k.time, Dim::time()),
                      q(k.flops / k.time, Dim::flopRate()), tile, k.waves,
                      compute::boundName(k.bound));
  }
}

void printThermal(const ChipReport &r, llvm::raw_ostream &os) {
  const ChipIR &c = *r.chip;
  const thermal::ThermalResult &t = r.thermal;
  os << "thermal " << c.name << ": R(L) " << formatNumber(t.resistance, 4)
     << " C/W, ambient " << celsius(c.ambient) << ", limit "
     << celsius(c.tempLimit) << ", TDP " << q(c.tdp, Dim::power()) << "\n";
  os << "  power          " << q(t.power, Dim::power()) << " (logic static "
     << q(r.power.logicStatic, Dim::power()) << ", dynamic at full clock "
     << q(r.power.logicDynamic, Dim::power()) << ", DRAM "
     << q(r.power.dramPerStack * double(c.memory->stacks), Dim::power())
     << ")\n";
  os << "  logic die      " << celsius(t.logicTemperature) << "\n";
  for (size_t i = t.layers.size(); i-- > 0;)
    os << "  DRAM layer " << fmt::format("{:<3}", i) << " "
       << celsius(t.layers[i]) << "\n";
  os << "  hottest        " << celsius(t.maxTemperature);
  if (!t.feasible)
    os << "  INFEASIBLE: over the " << t.limitedBy
       << " limit even with the clock stopped";
  else if (t.throttled)
    os << "  throttled by " << t.limitedBy << ": clock x "
       << fmt::format("{:.3f}", t.clockScale) << " = "
       << q(c.clock * t.clockScale, Dim::frequency());
  else
    os << "  within limits, full clock";
  os << "\n";
}

void printArea(const ChipReport &r, llvm::raw_ostream &os) {
  const area::AreaResult &a = r.area;
  const ChipIR &c = *r.chip;
  os << "area " << c.name << ": " << q(a.total, Dim::area()) << " on "
     << c.dies << " die(s), " << q(a.perDie, Dim::area()) << " each (budget "
     << q(c.areaBudget, Dim::area()) << ")"
     << (a.fits ? "" : "  DOES NOT FIT the budget") << "\n";
  os << "  cores " << q(a.cores, Dim::area()) << ", SRAM "
     << q(a.sram, Dim::area()) << ", L2 " << q(a.l2, Dim::area())
     << ", memory I/O " << q(a.memoryIO, Dim::area()) << ", scale-up "
     << q(a.scaleUp, Dim::area()) << ", other " << q(a.other, Dim::area())
     << "\n";
  os << "  cores that fit the budget: " << a.maxCores << "\n";
  os << "  " << formatNumber(a.diesPerWafer, 4) << " dies per wafer, yield "
     << pct(a.yield) << "; cost: logic " << fmt::format("{:.0f}", a.logicCost)
     << " USD, DRAM " << fmt::format("{:.0f}", a.dramCost) << " USD, package "
     << fmt::format("{:.0f}", a.packageCost) << " USD, total "
     << fmt::format("{:.0f}", a.totalCost) << " USD\n";
}
} // namespace

void ds::printChipReport(const ChipReport &r, Component c,
                         llvm::raw_ostream &os) {
  os << "chip " << r.chip->name;
  if (r.design)
    os << " (design " << r.design->name << ")";
  os << "\n";
  if (shows(c, Component::Memory))
    printMemoryReport(r.memory, os);
  if (shows(c, Component::Compute))
    printCompute(r, os);
  if (shows(c, Component::Thermal))
    printThermal(r, os);
  if (shows(c, Component::Area))
    printArea(r, os);
}

void ds::printChipReportJSON(
    const ChipReport &r, Component c, llvm::raw_ostream &os,
    llvm::function_ref<void(llvm::json::OStream &)> extra) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("chip", r.chip->name);
    if (r.design)
      j.attribute("design", r.design->name);
    if (shows(c, Component::Memory))
      writeMemoryJSON(r.memory, j);
    if (shows(c, Component::Compute)) {
      j.attributeObject("compute", [&] {
        j.attribute("cores", r.chip->cores);
        j.attribute("peak_bf16_flops", r.chip->peakBF16);
        j.attribute("peak_fp8_flops", r.chip->peakFP8);
        j.attribute("ridge_flop_per_byte", r.ridgeIntensity);
        j.attributeArray("operators", [&] {
          for (const OpReport &o : r.ops) {
            j.object([&] {
              j.attribute("name", o.name);
              j.attribute("time_s", o.cost.time);
              j.attribute("flops", o.cost.flops);
              j.attribute("padded_flops", o.cost.paddedFlops);
              j.attribute("dram_B", o.cost.dramBytes);
              j.attribute("l2_B", o.cost.l2Bytes);
              j.attribute("waves", o.cost.waves);
              j.attribute("tile", fmt::format("{}x{}x{}", o.cost.tile.m,
                                              o.cost.tile.n, o.cost.tile.k));
              j.attribute("bound_by", compute::boundName(o.cost.bound));
              j.attribute("energy_J", o.energy);
            });
          }
        });
      });
    }
    if (shows(c, Component::Thermal)) {
      const thermal::ThermalResult &t = r.thermal;
      j.attributeObject("thermal", [&] {
        j.attribute("resistance_C_per_W", t.resistance);
        j.attribute("power_W", t.power);
        j.attribute("logic_C", t.logicTemperature - 273.15);
        j.attributeArray("layers_C", [&] {
          for (double l : t.layers)
            j.value(l - 273.15);
        });
        j.attribute("max_C", t.maxTemperature - 273.15);
        j.attribute("clock_scale", t.clockScale);
        j.attribute("throttled", t.throttled);
        j.attribute("feasible", t.feasible);
        j.attribute("limited_by", t.limitedBy);
      });
    }
    if (shows(c, Component::Area)) {
      const area::AreaResult &a = r.area;
      j.attributeObject("area", [&] {
        j.attribute("total_mm2", a.total / 1e-6);
        j.attribute("per_die_mm2", a.perDie / 1e-6);
        j.attribute("fits_budget", a.fits);
        j.attribute("max_cores", a.maxCores);
        j.attribute("dies_per_wafer", a.diesPerWafer);
        j.attribute("yield", a.yield);
        j.attribute("logic_cost_USD", a.logicCost);
        j.attribute("dram_cost_USD", a.dramCost);
        j.attribute("total_cost_USD", a.totalCost);
      });
    }
    if (extra)
      extra(j);
  });
  os << "\n";
}
