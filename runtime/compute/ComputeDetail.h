//===- ComputeDetail.h - Shared pieces of the operator models ---*- C++ -*-===//
//
// Internal to runtime/compute: the chip's rates sanitised once per call, the
// integer helpers of tiling, and the best-first search over tiling
// candidates that keeps the number of DRAM-model evaluations small (the
// DRAM callback is the expensive part of costing an operator).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_COMPUTE_COMPUTEDETAIL_H
#define DEEPSTACK_RUNTIME_COMPUTE_COMPUTEDETAIL_H

#include "runtime/compute/ComputeModel.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ds {
namespace compute {
namespace detail {

inline int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
inline int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }
inline double roundUp(double a, double b) { return std::ceil(a / b) * b; }

/// Time to move or compute \p amount at \p rate. A rate the chip does not
/// declare (zero, negative or not finite, only possible for hand-built IR:
/// Sema requires them positive) does not limit, so no result is ever inf.
inline double timeAt(double amount, double rate) {
  return rate > 0 && std::isfinite(rate) && amount > 0 ? amount / rate : 0;
}

/// The chip fields the operator models read, clamped to sane values once.
struct ChipRates {
  double cores = 1;                          ///< >= 1
  double u = 1;                              ///< utilization in (0, 1]
  double sramBandwidth = 0, l2Bandwidth = 0; ///< B/s, already derated by u
  double l2 = 0;                             ///< bytes
  double sramPerCore = 0;                    ///< bytes
  double launch = 0;                         ///< s
  int64_t stages = 1, mmaM = 1, mmaN = 1, mmaK = 1;
  double channels = 1; ///< DRAM channels on the chip
  double sector = 32;  ///< smallest DRAM request (L2 sector), bytes

  explicit ChipRates(const ChipIR &chip);
};

/// Depth of one tensor instruction for operands of \p a and \p b: mma.k is
/// given for 16-bit types and the instruction consumes a fixed number of
/// bytes of K per row (Hopper wgmma: k = 8 tf32, 16 bf16, 32 fp8), in the
/// wider type when they are mixed (the narrower one is converted up).
int64_t mmaDepth(const ChipRates &r, DType a, DType b);

/// Fills time and bound from the four terms and the launch overhead.
void finish(OpCost &c, double launch);

/// What the best-first search knows of a candidate before asking the DRAM
/// model: every term but DRAM, the fewest DRAM bytes the candidate can move,
/// and the parts of its access pattern that bound the bandwidth it can get.
/// Left uninitialised by default (arrays of them live on the stack of every
/// call); the caller sets every field but `bound`.
struct Candidate {
  double fixedTime;    ///< max(compute, SRAM, L2), launch excluded
  double minDramBytes; ///< with the best L2 reuse conceivable
  double writeBytes;
  double outstanding; ///< requests in flight per channel
  double request;     ///< bytes per request
  double bound;       ///< lower bound on the time, set by the search
  double writeShare;  ///< minDramBytes > 0 ? writeBytes / minDramBytes : 0
  uint16_t index;     ///< the caller's encoding of the tiling
  bool done;
};

/// Relative slack of the search's stopping test: floating-point noise only
/// (a bound and an exact cost of the same traffic may differ in the last
/// bits), so ties are not re-evaluated.
constexpr double kSearchTolerance = 1e-9;

/// The most favourable pattern of the not yet costed candidates, among
/// those with request size \p request (any size when 0), and of \p extra
/// if given (and of that size).
inline dram::Pattern boundPattern(const Candidate *cands, unsigned n,
                                  double request,
                                  const Candidate *extra = nullptr) {
  dram::Pattern p;
  p.kind = dram::PatternKind::Sequential;
  p.outstanding = 1;
  p.requestBytes = 0;
  p.writeFraction = 1;
  for (unsigned i = 0; i < n; ++i) {
    const Candidate &c = cands[i];
    if (c.done || (request > 0 && c.request != request))
      continue;
    p.outstanding = std::max(p.outstanding, c.outstanding);
    p.requestBytes = std::max(p.requestBytes, c.request);
    p.writeFraction = std::min(p.writeFraction, c.writeShare);
  }
  if (extra && !(request > 0 && extra->request != request)) {
    p.outstanding = std::max(p.outstanding, extra->outstanding);
    p.requestBytes = std::max(p.requestBytes, extra->request);
    p.writeFraction = std::min(p.writeFraction, extra->writeShare);
  }
  return p;
}

/// The DRAM callback of one operator call, remembering its answers: the
/// search asks for the same pattern more than once (a bound that pairs one
/// tiling's requests in flight with its own request size is that tiling's
/// exact pattern). Patterns match when every field has the same bits, so a
/// deterministic callback gives the same answer; the memo lives on the
/// stack of one call and forgets everything when it returns.
class DramMemo {
public:
  explicit DramMemo(DramBandwidthFn fn) : fn(fn) {}
  double operator()(const dram::Pattern &p) {
    for (unsigned i = 0; i < size; ++i)
      if (same(keys[i], p))
        return values[i];
    double v = fn(p);
    if (size < kSlots) {
      keys[size] = p;
      values[size++] = v;
    }
    return v;
  }

private:
  static constexpr unsigned kSlots = 8;
  static bool sameBits(double a, double b) {
    uint64_t x, y;
    std::memcpy(&x, &a, sizeof(x));
    std::memcpy(&y, &b, sizeof(y));
    return x == y;
  }
  static bool same(const dram::Pattern &a, const dram::Pattern &b) {
    return a.kind == b.kind && sameBits(a.requestBytes, b.requestBytes) &&
           sameBits(a.outstanding, b.outstanding) &&
           sameBits(a.writeFraction, b.writeFraction) &&
           sameBits(a.param, b.param) && sameBits(a.rowHitRate, b.rowHitRate);
  }
  DramBandwidthFn fn;
  dram::Pattern keys[kSlots];
  double values[kSlots];
  unsigned size = 0;
};

/// Quotients a / b remembered for the last (a, b): the same bits in give
/// the same bits out, so this only saves the division.
class QuotientMemo {
public:
  double divide(double a, double b) {
    if (!(sameBits(a, lastA) && sameBits(b, lastB))) {
      lastA = a;
      lastB = b;
      last = a / b;
    }
    return last;
  }
  /// timeAt(amount, rate), dividing only when the inputs change.
  double timeAt(double amount, double rate) {
    return rate > 0 && std::isfinite(rate) && amount > 0
               ? divide(amount, rate)
               : 0;
  }

private:
  static bool sameBits(double a, double b) {
    uint64_t x, y;
    std::memcpy(&x, &a, sizeof(x));
    std::memcpy(&y, &b, sizeof(y));
    return x == y;
  }
  double lastA = std::numeric_limits<double>::quiet_NaN(), lastB = lastA,
         last = 0;
};

/// Folds candidate \p c into the bound pattern \p p (see boundPattern).
inline void combine(dram::Pattern &p, const Candidate &c) {
  p.outstanding = std::max(p.outstanding, c.outstanding);
  p.requestBytes = std::max(p.requestBytes, c.request);
  p.writeFraction = std::min(p.writeFraction, c.writeShare);
}

/// The two candidates a scan of the search would pick next, gathered while
/// a pass visits the candidates in array order: `best` is the first with
/// the lowest bound (among equal bounds, the most requests in flight, then
/// the largest requests); `second` is what the same scan would pick once
/// `best` is costed, so that the search needs no scan of its own. (That
/// holds because the order is a strict weak order; a NaN key breaks it, and
/// then `second` is left unknown.)
struct Lowest {
  Candidate *best = nullptr, *second = nullptr;
  bool bestKnown = true, secondKnown = true;

  static bool before(const Candidate &c, const Candidate &d) {
    return c.bound < d.bound ||
           (c.bound == d.bound &&
            (c.outstanding > d.outstanding ||
             (c.outstanding == d.outstanding && c.request > d.request)));
  }
  void offer(Candidate &c) {
    // Any NaN (or inf - inf) among the keys makes the sum NaN.
    double keys = c.bound + c.outstanding + c.request;
    if (keys != keys)
      secondKnown = false;
    // Most candidates come after both: bound above the second's.
    if (second && c.bound > second->bound)
      return;
    if (!best || before(c, *best)) {
      second = best;
      best = &c;
    } else if (!second || before(c, *second)) {
      second = &c;
    }
  }
};

/// The refinement of bestFirst: marks done every candidate whose terms
/// other than DRAM cannot beat \p best, then bounds the rest with the DRAM
/// bandwidth of the most favourable pattern of their own request size
/// (boundPattern(cands, n, size, shadow)), for the first eight sizes in
/// array order. One pass gathers the patterns, one applies the bounds and
/// finds the two lowest for \p lowest.
template <typename TimesMemo>
void refine(Candidate *cands, unsigned n, const ChipRates &r, double best,
            const Candidate *shadow, DramBandwidthFn dram, TimesMemo &times,
            Lowest &lowest) {
  constexpr unsigned kMaxSizes = 8;
  double sizes[kMaxSizes];
  dram::Pattern patterns[kMaxSizes];
  unsigned numSizes = 0;
  // boundPattern(cands, n, size) takes every candidate in when the size is
  // not positive (or not a number): such sizes share this pattern.
  dram::Pattern any = boundPattern(cands, 0, 0);
  for (unsigned i = 0; i < n; ++i) {
    Candidate &c = cands[i];
    if (c.done)
      continue;
    if ((c.fixedTime + r.launch) * (1 + kSearchTolerance) >= best) {
      c.done = true;
      continue;
    }
    combine(any, c);
    unsigned j = 0;
    while (j < numSizes && sizes[j] != c.request)
      ++j;
    if (j == numSizes) {
      // Sizes past the eighth keep the shared bound.
      if (numSizes == kMaxSizes)
        continue;
      sizes[numSizes] = c.request;
      patterns[numSizes++] = boundPattern(cands, 0, 0);
    }
    combine(patterns[j], c);
  }
  double bandwidths[kMaxSizes];
  for (unsigned j = 0; j < numSizes; ++j) {
    bool all = !(sizes[j] > 0);
    dram::Pattern p = all ? any : patterns[j];
    if (shadow && (all || shadow->request == sizes[j]))
      combine(p, *shadow);
    bandwidths[j] = dram(p) * r.u;
  }
  for (unsigned i = 0; i < n; ++i) {
    Candidate &c = cands[i];
    if (c.done)
      continue;
    unsigned j = 0;
    while (j < numSizes && !(sizes[j] == c.request))
      ++j;
    if (j < numSizes)
      c.bound =
          std::max(c.fixedTime, times.timeAt(c.minDramBytes, bandwidths[j]));
    lowest.offer(c);
  }
}

/// The cheapest candidate's cost. The DRAM model is asked once for a pattern
/// at least as favourable as every candidate's: the most requests in
/// flight, the largest request, and the smallest write share any candidate
/// has at its fewest bytes. That bounds every candidate's time from below
/// (fewest bytes at the best bandwidth); candidates are then costed exactly
/// (\p exact(index, dram), one DRAM call each) in order of that bound until none
/// left can beat the best; if the first is not enough, the bound is refined
/// once per request size. The bound holds when DRAM bandwidth does not drop
/// as requests in flight or their size grow or the write share falls, and
/// extra reads never shorten DRAM time by diluting the writes (true of
/// Little's law, bus efficiency and read/write turnarounds); should a DRAM
/// model break that, the result is still a real tiling's cost, maybe not
/// the cheapest.
///
/// A caller may leave out candidates that another one dominates: the same
/// DRAM pattern and bytes, every other term no smaller, and a later place in
/// the array (so such a candidate is never costed before its dominator and
/// never wins). The search then takes the same path as with them:
/// \p shadowFixed(index) gives the smallest fixed time among the candidates
/// left out because of candidate `index` (+inf if none). The only trace a
/// left-out candidate leaves on the path is its share in the refined bound
/// of its request size while its dominator has already been costed; its
/// share is its dominator's, which is added back there.
template <typename ExactFn, typename ShadowFn>
OpCost bestFirst(Candidate *cands, unsigned n, const ChipRates &r,
                 DramBandwidthFn model, ExactFn exact, ShadowFn shadowFixed) {
  assert(n > 0 && "no tiling candidate");
  DramMemo memo(model);
  DramBandwidthFn dram(memo);
  // Candidates mostly share their byte counts (they differ only by split-K
  // spills), so each quotient below is worked out once per distinct input.
  QuotientMemo times;

  // The most favourable pattern of them all (boundPattern(cands, n, 0)).
  dram::Pattern global = boundPattern(cands, 0, 0);
  for (unsigned i = 0; i < n; ++i)
    combine(global, cands[i]);
  double bMax = dram(global) * r.u;
  Lowest lowest;
  for (unsigned i = 0; i < n; ++i) {
    cands[i].bound = std::max(cands[i].fixedTime,
                              times.timeAt(cands[i].minDramBytes, bMax));
    lowest.offer(cands[i]);
  }

  OpCost result;
  bool have = false;
  bool refined = false;
  const Candidate *first = nullptr; ///< the first candidate costed
  for (;;) {
    // Lowest bound next; among equals the likeliest to reach it: the most
    // requests in flight, then the largest requests. The passes over the
    // candidates find it on the way; a scan only when they did not.
    if (!lowest.bestKnown) {
      lowest = Lowest();
      for (unsigned i = 0; i < n; ++i)
        if (!cands[i].done)
          lowest.offer(cands[i]);
    }
    Candidate *next = lowest.best;
    if (!next)
      break;
    if (have &&
        (next->bound + r.launch) * (1 + kSearchTolerance) >= result.time)
      break;
    if (have && !refined) {
      // The shared bound pairs the most requests in flight of one tiling
      // with the largest requests of another; if it is too loose to stop
      // here, drop the tilings whose other terms already lose, bound each
      // request size of the rest on its own (a few sizes: tile rows of the
      // two depths, or of the output widths) and look again. (Once:
      // refining again as the best improves costs more calls than it
      // saves.)
      refined = true;
      // Only `first` has been costed: the candidates it dominates are still
      // in the running if the cheapest of them is not dropped.
      const Candidate *shadow =
          (shadowFixed(first->index) + r.launch) * (1 + kSearchTolerance) <
                  result.time
              ? first
              : nullptr;
      lowest = Lowest();
      refine(cands, n, r, result.time, shadow, dram, times, lowest);
      continue;
    }
    // The next pick is the runner-up (if known); the one after it needs a
    // scan.
    lowest.bestKnown = lowest.secondKnown;
    lowest.best = lowest.second;
    lowest.second = nullptr;
    lowest.secondKnown = false;
    next->done = true;
    if (!first)
      first = next;
    OpCost c = exact(next->index, dram);
    if (!have || c.time < result.time) {
      result = c;
      have = true;
    }
  }
  return result;
}

} // namespace detail
} // namespace compute
} // namespace ds

#endif
