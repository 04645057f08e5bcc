//===- ClosedLoop.cpp - Mean value analysis of a closed loop --------------===//
#include "runtime/dram/ClosedLoop.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace ds;
using namespace ds::dram;

namespace {
/// v^p, by squaring when p is a small whole number (the usual coupling;
/// std::pow would dominate the cost of a DRAM evaluation).
double power(double v, double p) {
  if (p == std::floor(p) && p <= 64) {
    double r = 1;
    for (unsigned e = unsigned(p); e; e >>= 1, v *= v)
      if (e & 1)
        r *= v;
    return r;
  }
  return std::pow(v, p);
}
} // namespace

// The exact recursion over n = 1..N. With utilisation U = X v S and queue
// Q = X v (S + W), the queue ahead minus the one in service is Q - U = X v W,
// so with A = W + residual S the wait at population n is
//   W(n) = X(n-1) v S A(n-1),   R(n) = delay + X(n-1) sum(c v v S A(n-1)).
// The sum does not need X(n-1), so only one multiply-add and the division
// remain on the recursion's critical path.
//
// With the cap, the raw recursion can dip after saturating when the delay
// is short (posted writes), hence the best rate so far. Once the cap is
// reached nothing can raise the rate, so the recursion stops: the cost is
// set by the saturation knee, not by N.
double dram::meanValueAnalysis(unsigned population, double delay,
                               const Station (&st)[3], double residual,
                               double xMax) {
  constexpr double kSaturated = 1 - 1e-12; // of xMax: rounding, not physics
  double demand[3], busy[3], coef[3], a[3];
  for (unsigned i = 0; i < 3; ++i) {
    demand[i] = st[i].visits * st[i].service;
    busy[i] = residual * st[i].service;
    coef[i] = st[i].count * st[i].visits * demand[i];
    a[i] = busy[i];
  }
  double best = 0, x = 0, sum = 0;
  for (unsigned n = 1; n <= population; ++n) {
    double response = delay + x * sum;
    for (unsigned i = 0; i < 3; ++i)
      a[i] = x * demand[i] * a[i] + busy[i];
    sum = coef[0] * a[0] + coef[1] * a[1] + coef[2] * a[2];
    x = std::min(n / response, xMax);
    if (x >= kSaturated * xMax)
      return xMax;
    best = std::max(best, x);
  }
  return best;
}

double dram::pNorm(llvm::ArrayRef<double> d, double p) {
  double mx = *std::max_element(d.begin(), d.end());
  if (mx <= 0 || p == std::numeric_limits<double>::infinity())
    return mx;
  double sum = 0;
  for (double v : d)
    sum += power(v / mx, p);
  // sum is in [1, d.size()]; the p-th root of a power-of-two p is a chain
  // of square roots.
  if (p == 1 || p == 2 || p == 4 || p == 8 || p == 16) {
    for (; p > 1; p /= 2)
      sum = std::sqrt(sum);
    return mx * sum;
  }
  return mx * std::pow(sum, 1.0 / p);
}
