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
//
// Saturation is often provable up front, which skips the recursion: the
// rate never exceeds the cap, so with u = xMax v S <= 1 every A(n) <= n A(1)
// (induction: A(n) = X(n-1) v S A(n-1) + A(1)), hence
//   R(n) <= delay + xMax C (n-1),   C = sum(c v v S A(1)).
// If N / that bound reaches xMax with room to spare, X(N) (or an earlier
// X(n)) reaches the cap and the recursion would return xMax: return it now.
// The room (kProofMargin) covers the rounding of N steps of the recursion
// and of u slightly above 1, so the answer is the recursion's to the bit.
double dram::meanValueAnalysis(unsigned population, double delay,
                               const Station (&st)[3], double residual,
                               double xMax) {
  constexpr double kSaturated = 1 - 1e-12; // of xMax: rounding, not physics
  constexpr double kProofMargin = 1e-6;
  double demand[3], busy[3], coef[3], a[3];
  for (unsigned i = 0; i < 3; ++i) {
    demand[i] = st[i].visits * st[i].service;
    busy[i] = residual * st[i].service;
    coef[i] = st[i].count * st[i].visits * demand[i];
    a[i] = busy[i];
  }
  if (population >= 1 && population <= 1u << 20 && xMax > 0 &&
      std::isfinite(xMax) && delay >= 0 && std::isfinite(delay)) {
    double c = 0, u = 0;
    bool sane = true;
    for (unsigned i = 0; i < 3; ++i) {
      sane = sane && coef[i] >= 0 && busy[i] >= 0 && demand[i] >= 0;
      c += coef[i] * busy[i];
      u = std::max(u, xMax * demand[i]);
    }
    double n = double(population);
    if (sane && std::isfinite(c) && u <= 1 + 1e-12 &&
        n >= xMax * (1 + kProofMargin) * (delay + xMax * c * (n - 1)))
      return xMax;
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
