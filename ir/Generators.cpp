//===- Generators.cpp - The language's functions, computed once -----------===//
#include "ir/Generators.h"

#include <cmath>

using namespace ds;

double ds::applyUnaryFunction(llvm::StringRef fn, double x) {
  if (fn == "ceil")
    return std::ceil(x);
  if (fn == "floor")
    return std::floor(x);
  if (fn == "round")
    return std::round(x);
  if (fn == "abs")
    return std::fabs(x);
  if (fn == "sqrt")
    return std::sqrt(x);
  if (fn == "log2")
    return std::log2(x);
  return x;
}

std::vector<double> ds::pow2Values(double lo, double hi) {
  std::vector<double> out;
  for (double p = 1; p <= hi; p *= 2)
    if (p >= lo)
      out.push_back(p);
  return out;
}

std::vector<double> ds::divisorValues(uint64_t n) {
  std::vector<double> small, large;
  for (uint64_t d = 1; d * d <= n; ++d)
    if (n % d == 0) {
      small.push_back(double(d));
      if (d != n / d)
        large.push_back(double(n / d));
    }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

std::vector<double> ds::linspaceValues(double a, double b, size_t count) {
  std::vector<double> out;
  for (size_t i = 0; i < count; ++i) {
    double t = count == 1 ? 0.0 : double(i) / double(count - 1);
    out.push_back(a + t * (b - a));
  }
  return out;
}
