//===- Generators.h - Values of pow2, divisors and linspace -----*- C++ -*-===//
//
// The value lists of the generator functions, shared by the front end
// (checking a sweep once) and the search (expanding it at every node), so
// the two can never disagree. Arguments are validated by the callers,
// which report errors their own way.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_GENERATORS_H
#define DEEPSTACK_IR_GENERATORS_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ds {

/// Powers of two p with lo <= p <= hi.
std::vector<double> pow2Values(double lo, double hi);
/// The divisors of \p n, increasing.
std::vector<double> divisorValues(uint64_t n);
/// \p count values from \p a to \p b inclusive, evenly spaced.
std::vector<double> linspaceValues(double a, double b, size_t count);

} // namespace ds

#endif
