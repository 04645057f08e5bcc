//===- GroupShape.cpp - How a device group sits in the fabric -------------===//
//
// A group (members base + i * stride) is aligned when its stride and span
// fall on digit boundaries of the fabric's device numbering: it is then a
// product of whole digits, one dimension each, and every other group is a
// translate of it. Otherwise it is one dimension, and the levels its
// members meet in are found from consecutive members. Collective
// algorithms choose their schedule from this shape; routing (Pattern.cpp)
// uses it to route an aligned group once.
//
//===----------------------------------------------------------------------===//
#include "runtime/network/Pattern.h"

using namespace ds;
using namespace ds::net;

GroupShape ds::net::shapeOf(const Fabric &f, Group g,
                            llvm::SmallVectorImpl<int> &levels) {
  GroupShape s;
  s.size = g.size;
  levels.clear();
  // Digits [lo, hi) hold the group exactly when their weights match.
  constexpr unsigned kNone = ~0u;
  unsigned lo = kNone, hi = kNone;
  for (unsigned d = 0; d <= f.digits(); ++d) {
    int64_t w = d < f.digits() ? f.weight(d) : f.devices();
    if (w == g.stride && lo == kNone)
      lo = d;
    if (w == g.stride * g.size)
      hi = d;
  }
  bool aligned = lo != kNone && hi != kNone && lo < hi && g.size > 1;
  if (!aligned) {
    s.dims.push_back(GroupDim{g.size, 1, -1});
    // Levels where some pair of some group meets. Device ids follow the
    // hierarchy, so a pair meets where some consecutive pair between them
    // does: consecutive members of every group are enough.
    llvm::SmallVector<bool, 8> seen(f.levels(), false);
    int64_t span = g.stride * g.size;
    for (int64_t hiBase = 0; hiBase < f.devices(); hiBase += span)
      for (int64_t loBase = 0; loBase < g.stride; ++loBase)
        for (int64_t i = 1; i < g.size; ++i) {
          int64_t a = hiBase + loBase + (i - 1) * g.stride;
          int l = f.lcaLevel(a, a + g.stride);
          if (l >= 0)
            seen[l] = true;
        }
    for (unsigned l = 0; l < f.levels(); ++l)
      if (seen[l])
        levels.push_back(int(l));
    return s;
  }
  int64_t w = 1;
  for (unsigned d = lo; d < hi; ++d) {
    if (f.radix(d) == 1)
      continue;
    int l = int(f.levelOfDigit(d));
    s.dims.push_back(GroupDim{f.radix(d), w, l});
    if (levels.empty() || levels.back() != l)
      levels.push_back(l);
    w *= f.radix(d);
  }
  return s;
}
