//===- Checked.h - Integer products that cannot overflow --------*- C++ -*-===//
//
// Counts multiply (devices = the levels' sizes, ranks = the schedule's
// degrees), and every factor may be as large as a field allows (2^53): a
// plain int64_t product is undefined behaviour on overflow. These saturate
// instead, so the caller can compare against its limit and report it.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_CHECKED_H
#define DEEPSTACK_IR_CHECKED_H

#include <cstdint>
#include <limits>

namespace ds {

/// a * b, or INT64_MAX when it does not fit (both non-negative).
inline int64_t saturatingMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return std::numeric_limits<int64_t>::max();
  return r;
}

/// True when \p n is a saturated product (see saturatingMul).
inline bool saturated(int64_t n) {
  return n == std::numeric_limits<int64_t>::max();
}

} // namespace ds

#endif
