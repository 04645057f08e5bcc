//===- Interval.h - Closed intervals and their arithmetic -------*- C++ -*-===//
//
// Enclosures for the search's bounds (Moore's interval arithmetic): each
// operation's result holds every value the operation takes on its
// operands' intervals. Booleans are [0,0] false, [1,1] true, [0,1] unknown.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_INTERVAL_H
#define DEEPSTACK_IR_INTERVAL_H

#include <algorithm>
#include <cmath>
#include <limits>

namespace ds {

struct Interval {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  static Interval point(double v) { return {v, v}; }
  static Interval all() { return {}; }
  bool isPoint() const { return lo == hi; }
  bool bounded() const { return std::isfinite(lo) && std::isfinite(hi); }
  Interval hull(const Interval &o) const {
    return {std::min(lo, o.lo), std::max(hi, o.hi)};
  }
};

namespace interval {
/// A product of interval ends, 0 * inf taken as 0 (a bounded zero times an
/// unbounded value).
inline double mul(double a, double b) { return (a == 0 || b == 0) ? 0 : a * b; }

inline Interval add(Interval a, Interval b) { return {a.lo + b.lo, a.hi + b.hi}; }
inline Interval sub(Interval a, Interval b) { return {a.lo - b.hi, a.hi - b.lo}; }
inline Interval times(Interval a, Interval b) {
  double p[] = {mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo),
                mul(a.hi, b.hi)};
  return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}
/// Unbounded when the divisor may be zero (or change sign).
inline Interval divide(Interval a, Interval b) {
  if (b.lo <= 0 && b.hi >= 0)
    return Interval::all();
  return times(a, {1 / b.hi, 1 / b.lo});
}
inline Interval negate(Interval a) { return {-a.hi, -a.lo}; }
inline Interval min(Interval a, Interval b) {
  return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
}
inline Interval max(Interval a, Interval b) {
  return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
}
} // namespace interval

} // namespace ds

#endif
