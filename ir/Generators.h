//===- Generators.h - The language's functions, computed once -*- C++ -*-===//
//
// The value lists of the generator functions (pow2, divisors, linspace) and
// the one-argument math functions, shared by the front end (checking a
// sweep once) and the search (at every node and leaf), so the two can
// never disagree. Arguments are validated by the callers,
// which report errors their own way.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_GENERATORS_H
#define DEEPSTACK_IR_GENERATORS_H

#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ds {

/// ceil, floor, round, abs, sqrt or log2 of \p x (the callers check the
/// name and that sqrt/log2 get a positive number); \p x for anything else.
double applyUnaryFunction(llvm::StringRef fn, double x);

/// Powers of two p with lo <= p <= hi.
std::vector<double> pow2Values(double lo, double hi);
/// The divisors of \p n, increasing.
std::vector<double> divisorValues(uint64_t n);
/// \p count values from \p a to \p b inclusive, evenly spaced.
std::vector<double> linspaceValues(double a, double b, size_t count);

} // namespace ds

#endif
