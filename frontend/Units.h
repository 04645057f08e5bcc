//===- Units.h - Physical dimensions and units ------------------*- C++ -*-===//
//
// A Dim is a vector of exponents over the base quantities of the language
// (bytes, seconds, joules, metres, FLOPs, kelvin, US dollars). Values are kept
// in SI; units only matter when reading literals and printing reports.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_UNITS_H
#define DEEPSTACK_FRONTEND_UNITS_H

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include <array>
#include <cstdint>
#include <string>

namespace ds {

/// Exponents of the base quantities, in the order of Units.def.
struct Dim {
  enum Base { Bytes, Seconds, Joules, Metres, Flops, Kelvin, Dollars, NumBase };
  std::array<int8_t, NumBase> exp{};

  bool operator==(const Dim &o) const { return exp == o.exp; }
  bool operator!=(const Dim &o) const { return exp != o.exp; }
  Dim operator*(const Dim &o) const;
  Dim operator/(const Dim &o) const;
  bool isNone() const { return *this == Dim(); }

  static Dim none() { return Dim(); }
  static Dim make(int b, int s, int j, int m, int f, int k, int d);
  static Dim bytes() { return make(1, 0, 0, 0, 0, 0, 0); }
  static Dim time() { return make(0, 1, 0, 0, 0, 0, 0); }
  static Dim frequency() { return make(0, -1, 0, 0, 0, 0, 0); }
  static Dim bandwidth() { return make(1, -1, 0, 0, 0, 0, 0); }
  static Dim energy() { return make(0, 0, 1, 0, 0, 0, 0); }
  static Dim energyPerBit() { return make(-1, 0, 1, 0, 0, 0, 0); }
  static Dim energyPerFlop() { return make(0, 0, 1, 0, -1, 0, 0); }
  static Dim power() { return make(0, -1, 1, 0, 0, 0, 0); }
  static Dim temperature() { return make(0, 0, 0, 0, 0, 1, 0); }
  static Dim thermalResistance() { return make(0, 1, -1, 0, 0, 1, 0); }
  static Dim area() { return make(0, 0, 0, 2, 0, 0, 0); }
  static Dim length() { return make(0, 0, 0, 1, 0, 0, 0); }
  static Dim flopRate() { return make(0, -1, 0, 0, 1, 0, 0); }
  static Dim flops() { return make(0, 0, 0, 0, 1, 0, 0); }
  static Dim money() { return make(0, 0, 0, 0, 0, 0, 1); }
};

/// A unit spelling resolved to SI: si = value * scale + offset.
struct UnitInfo {
  Dim dim;
  double scale = 1.0;
  double offset = 0.0;
};

/// Looks up a unit spelling, simple ("GiB") or compound ("GB/s", "pJ/bit").
llvm::Optional<UnitInfo> lookupUnit(llvm::StringRef spelling);

/// The closest known simple unit spelling to \p spelling, or "" if none is
/// close enough to suggest.
std::string suggestUnit(llvm::StringRef spelling);

/// A user-facing name of the dimension: "a bandwidth", "a size", "a time" ...
std::string describeDim(const Dim &d);

/// An example unit for the dimension, for messages: "GB/s", "GiB", "ns".
std::string exampleUnit(const Dim &d);

/// Formats an SI value in a human unit of its dimension ("1.2 TB/s",
/// "96 GiB", "14 ns", "95 C"). Sizes that are exact binary multiples print
/// with binary prefixes; everything else with decimal ones.
/// \p digits significant digits: 6 (exact enough for IR dumps) by default,
/// 4 in reports.
std::string formatQuantity(double si, const Dim &d, int digits = 6);

/// Formats a plain number compactly and deterministically ("8", "0.9",
/// "1.5e+14").
std::string formatNumber(double v, int digits = 6);

} // namespace ds

#endif
