//===- Units.cpp - Physical dimensions and units --------------------------===//
//
// Unit lookup for literals and human-unit printing for reports.
//
//===----------------------------------------------------------------------===//
#include "frontend/Units.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include <cctype>
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
struct UnitEntry {
  const char *spelling;
  double scale;
  std::array<int8_t, Dim::NumBase> exp;
  double offset;
};

const UnitEntry kUnits[] = {
#define UNIT(Spelling, Scale, Dim, Offset) {Spelling, Scale, Dim, Offset},
#include "frontend/Units.def"
};

llvm::Optional<UnitInfo> lookupSimple(llvm::StringRef s) {
  for (const UnitEntry &u : kUnits) {
    if (s == u.spelling) {
      UnitInfo info;
      info.dim.exp = u.exp;
      info.scale = u.scale;
      info.offset = u.offset;
      return info;
    }
  }
  return llvm::None;
}
} // namespace

Dim Dim::make(int b, int s, int j, int m, int f, int k, int d) {
  Dim r;
  r.exp = {int8_t(b), int8_t(s), int8_t(j), int8_t(m),
           int8_t(f), int8_t(k), int8_t(d)};
  return r;
}

Dim Dim::operator*(const Dim &o) const {
  Dim r;
  for (int i = 0; i < NumBase; ++i)
    r.exp[i] = int8_t(exp[i] + o.exp[i]);
  return r;
}

Dim Dim::operator/(const Dim &o) const {
  Dim r;
  for (int i = 0; i < NumBase; ++i)
    r.exp[i] = int8_t(exp[i] - o.exp[i]);
  return r;
}

llvm::Optional<UnitInfo> ds::lookupUnit(llvm::StringRef spelling) {
  auto parts = spelling.split('/');
  auto num = lookupSimple(parts.first);
  if (!num)
    return llvm::None;
  if (parts.second.empty())
    return num;
  // "/s" divides by seconds; "/bit" by bits. The denominator of a compound
  // unit may be a count-like unit too (MT/s is a frequency).
  auto den = lookupSimple(parts.second);
  if (!den)
    return llvm::None;
  UnitInfo r;
  r.dim = num->dim / den->dim;
  r.scale = num->scale / den->scale;
  r.offset = 0.0; // a compound temperature unit (C/W) is a difference
  return r;
}

std::string ds::suggestUnit(llvm::StringRef spelling) {
  auto parts = spelling.split('/');
  auto best = [](llvm::StringRef s) -> std::string {
    if (lookupSimple(s))
      return s.str();
    unsigned bestDist = 3;
    std::string found;
    for (const UnitEntry &u : kUnits) {
      unsigned d = s.edit_distance(u.spelling, true, bestDist);
      // Case slips (gb, Gib) are the most common mistake: prefer them.
      if (s.equals_insensitive(u.spelling))
        d = 0;
      if (d < bestDist) {
        bestDist = d;
        found = u.spelling;
      }
    }
    return found;
  };
  std::string num = best(parts.first);
  if (num.empty())
    return "";
  if (parts.second.empty())
    return num;
  std::string den = best(parts.second);
  return den.empty() ? "" : num + "/" + den;
}

namespace {
struct NamedDim {
  Dim dim;
  const char *name;
  const char *example;
};

const NamedDim &namedDims(size_t i, size_t &count) {
  static const NamedDim table[] = {
      {Dim::none(), "a plain number", "8"},
      {Dim::bytes(), "a size", "GiB"},
      {Dim::bandwidth(), "a bandwidth", "GB/s"},
      {Dim::time(), "a time", "ns"},
      {Dim::frequency(), "a frequency", "GHz"},
      {Dim::energy(), "an energy", "nJ"},
      {Dim::energyPerBit(), "an energy per bit", "pJ/bit"},
      {Dim::energyPerFlop(), "an energy per FLOP", "pJ/FLOP"},
      {Dim::power(), "a power", "W"},
      {Dim::temperature(), "a temperature", "C"},
      {Dim::thermalResistance(), "a thermal resistance", "C/W"},
      {Dim::area(), "an area", "mm2"},
      {Dim::length(), "a length", "mm"},
      {Dim::flopRate(), "a compute rate", "TFLOP/s"},
      {Dim::flops(), "an operation count", "TFLOP"},
      {Dim::money(), "a cost", "USD"},
      {Dim::area() / Dim::bytes(), "an area per byte", "mm2/MiB"},
      {Dim::money() / Dim::bytes(), "a cost per byte", "USD/GiB"},
      {Dim::none() / Dim::energy(), "a count per joule", "1/J"},
  };
  count = sizeof(table) / sizeof(table[0]);
  return table[i < count ? i : 0];
}

const NamedDim *findNamed(const Dim &d) {
  size_t n = 0;
  namedDims(0, n);
  for (size_t i = 0; i < n; ++i)
    if (namedDims(i, n).dim == d)
      return &namedDims(i, n);
  return nullptr;
}

std::string baseSpelling(const Dim &d) {
  static const char *names[] = {"B", "s", "J", "m", "FLOP", "K", "USD"};
  std::string out;
  for (int i = 0; i < Dim::NumBase; ++i) {
    if (!d.exp[i])
      continue;
    if (!out.empty())
      out += "*";
    out += names[i];
    if (d.exp[i] != 1)
      out += "^" + std::to_string(d.exp[i]);
  }
  return out;
}

struct Prefix {
  double scale;
  const char *unit;
};

// Picks the largest prefix not above the value, so 1.2e12 B/s is "1.2 TB/s".
std::string withPrefix(double v, llvm::ArrayRef<Prefix> prefixes,
                       int digits) {
  const Prefix *pick = &prefixes.front();
  for (const Prefix &p : prefixes)
    if (std::fabs(v) >= p.scale * 0.9999999)
      pick = &p;
  return ds::formatNumber(v / pick->scale, digits) + " " + pick->unit;
}
size_t significantDigits(llvm::StringRef s) {
  s = s.take_until([](char c) { return c == ' '; });
  std::string digits;
  for (char c : s)
    if (std::isdigit((unsigned char)c))
      digits += c;
  llvm::StringRef d(digits);
  d = d.ltrim('0');
  if (s.contains('.'))
    return d.size();
  return d.rtrim('0').size();
}
} // namespace

std::string ds::describeDim(const Dim &d) {
  if (const NamedDim *n = findNamed(d))
    return n->name;
  return "a quantity in " + baseSpelling(d);
}

std::string ds::exampleUnit(const Dim &d) {
  if (const NamedDim *n = findNamed(d))
    return n->example;
  return baseSpelling(d);
}

std::string ds::formatNumber(double v, int digits) {
  if (v == 0)
    return "0";
  // Whole numbers print exactly (1000001, not 1e+06) up to 2^53.
  if (std::floor(v) == v && std::fabs(v) < 9007199254740992.0 &&
      std::fabs(v) >= 1e6)
    return fmt::format("{:.0f}", v);
  return fmt::format("{:.{}g}", v, digits);
}

std::string ds::formatQuantity(double si, const Dim &d, int digits) {
  if (d == Dim::bytes()) {
    // Capacities are binary in practice (GiB); traffic is often decimal.
    static const Prefix bin[] = {{1, "B"},
                                 {1024.0, "KiB"},
                                 {1048576.0, "MiB"},
                                 {1073741824.0, "GiB"},
                                 {1099511627776.0, "TiB"}};
    static const Prefix dec[] = {
        {1, "B"}, {1e3, "KB"}, {1e6, "MB"}, {1e9, "GB"}, {1e12, "TB"}};
    // Print whichever form needs fewer digits: 4 GiB, not 4.29497 GB;
    // 180 GB, not 167.638 GiB. Ties go to binary (1 KiB, 32 B).
    std::string b = withPrefix(si, bin, digits), d = withPrefix(si, dec, digits);
    return significantDigits(d) < significantDigits(b) ? d : b;
  }
  if (d == Dim::bandwidth())
    return withPrefix(si, {{1, "B/s"},
                           {1e3, "KB/s"},
                           {1e6, "MB/s"},
                           {1e9, "GB/s"},
                           {1e12, "TB/s"},
                           {1e15, "PB/s"}}, digits);
  if (d == Dim::time()) {
    if (si == 0)
      return "0 s";
    return withPrefix(si, {{1e-12, "ps"},
                           {1e-9, "ns"},
                           {1e-6, "us"},
                           {1e-3, "ms"},
                           {1, "s"}}, digits);
  }
  if (d == Dim::frequency())
    return withPrefix(si,
                      {{1, "Hz"}, {1e3, "kHz"}, {1e6, "MHz"}, {1e9, "GHz"}}, digits);
  if (d == Dim::energy())
    return withPrefix(si, {{1e-15, "fJ"},
                           {1e-12, "pJ"},
                           {1e-9, "nJ"},
                           {1e-6, "uJ"},
                           {1e-3, "mJ"},
                           {1, "J"}}, digits);
  if (d == Dim::energyPerBit())
    return formatNumber(si / 8 / 1e-12, digits) + " pJ/bit";
  if (d == Dim::energyPerFlop())
    return formatNumber(si / 1e-12, digits) + " pJ/FLOP";
  if (d == Dim::power())
    return withPrefix(si, {{1e-3, "mW"}, {1, "W"}, {1e3, "kW"}, {1e6, "MW"}}, digits);
  if (d == Dim::temperature())
    return formatNumber(si - 273.15, digits) + " C";
  if (d == Dim::thermalResistance())
    return formatNumber(si, digits) + " C/W";
  if (d == Dim::area())
    return formatNumber(si / 1e-6, digits) + " mm2";
  if (d == Dim::length())
    return withPrefix(si, {{1e-9, "nm"}, {1e-6, "um"}, {1e-3, "mm"}, {1, "m"}}, digits);
  if (d == Dim::flopRate())
    return withPrefix(si, {{1, "FLOP/s"},
                           {1e9, "GFLOP/s"},
                           {1e12, "TFLOP/s"},
                           {1e15, "PFLOP/s"}}, digits);
  if (d == Dim::flops())
    return withPrefix(si, {{1, "FLOP"},
                           {1e9, "GFLOP"},
                           {1e12, "TFLOP"},
                           {1e15, "PFLOP"}}, digits);
  if (d == Dim::money())
    return formatNumber(si, digits) + " USD";
  if (d == Dim::area() / Dim::bytes())
    return formatNumber(si / (1e-6 / 1048576.0), digits) + " mm2/MiB";
  if (d == Dim::money() / Dim::bytes())
    return formatNumber(si * 1073741824.0, digits) + " USD/GiB";
  if (d.isNone())
    return formatNumber(si, digits);
  return formatNumber(si, digits) + " " + baseSpelling(d);
}
