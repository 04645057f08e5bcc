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

/// The most candidates an operator model passes to the search (GEMM: 5 x 5
/// tile sizes, 2 depths, 5 splits).
constexpr unsigned kMaxCandidates = 250;

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
    Key k = keyOf(p);
    for (unsigned i = 0; i < size; ++i)
      if (keys[i] == k)
        return values[i];
    double v = fn(p);
    if (size < kSlots) {
      keys[size] = k;
      patterns[size] = p.outstanding;
      values[size++] = v;
    }
    return v;
  }

  /// A lower bound on the answer for \p p from the answers so far, by the
  /// DRAM model's one monotony the search leans on here: more requests in
  /// flight, all else equal, never lose bandwidth (the model's property
  /// tests allow it 1e-5 of noise; kMonotonySlack is far above that). The
  /// answer itself, and \p exact set, if \p p was asked; 0 when nothing
  /// bounds it.
  double lowerBound(const dram::Pattern &p, bool &exact) const {
    Key k = keyOf(p);
    double best = 0;
    exact = false;
    for (unsigned i = 0; i < size; ++i) {
      const Key &o = keys[i];
      if (o == k) {
        exact = true;
        return values[i];
      }
      if (o.kind == k.kind && o.request == k.request &&
          o.writeFraction == k.writeFraction && o.param == k.param &&
          o.rowHitRate == k.rowHitRate && patterns[i] <= p.outstanding &&
          values[i] * (1 - kMonotonySlack) > best)
        best = values[i] * (1 - kMonotonySlack);
    }
    return best;
  }

private:
  static constexpr unsigned kSlots = 16;
  static constexpr double kMonotonySlack = 1e-3;
  /// A pattern's fields as bits (plain data: the slots stay uninitialised
  /// until used).
  struct Key {
    uint64_t request, outstanding, writeFraction, param, rowHitRate;
    dram::PatternKind kind;
    bool operator==(const Key &o) const {
      return request == o.request && outstanding == o.outstanding &&
             writeFraction == o.writeFraction && kind == o.kind &&
             param == o.param && rowHitRate == o.rowHitRate;
    }
  };
  static uint64_t bits(double v) {
    uint64_t b;
    std::memcpy(&b, &v, sizeof(b));
    return b;
  }
  static Key keyOf(const dram::Pattern &p) {
    return {bits(p.requestBytes), bits(p.outstanding), bits(p.writeFraction),
            bits(p.param),        bits(p.rowHitRate),  p.kind};
  }
  DramBandwidthFn fn;
  Key keys[kSlots];
  double patterns[kSlots]; ///< the requests in flight of each key
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
    return rate > 0 && std::isfinite(rate) && amount > 0 ? divide(amount, rate)
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

/// The two candidates a scan of the search would pick next, gathered by a
/// pass over the candidates: `best` is the first in array order with the
/// lowest bound (among equal bounds, the most requests in flight, then the
/// largest requests), `second` the one a scan would pick once `best` is
/// costed, so that the search needs no scan of its own. Without NaNs that
/// order, completed by the place in the array, is total, so the two do not
/// depend on the order the pass offers the candidates in: passes go
/// backwards, where the lowest bounds usually are (larger tiles come last),
/// so that the two settle early. A NaN key leaves both unknown, for a scan
/// in array order (the search's own rule, whatever NaNs do to it).
struct Lowest {
  Candidate *best = nullptr, *second = nullptr;
  bool bestKnown = true, secondKnown = true;
  /// second's bound (+inf without one): a candidate bounded above it comes
  /// after both.
  double cutoff = HUGE_VAL;

  static bool before(const Candidate &c, const Candidate &d) {
    return c.bound < d.bound ||
           (c.bound == d.bound &&
            (c.outstanding > d.outstanding ||
             (c.outstanding == d.outstanding &&
              (c.request > d.request || (c.request == d.request && &c < &d)))));
  }
  void offer(Candidate &c) {
    // Any NaN (or inf - inf) among the keys makes the sum NaN.
    double keys = c.bound + c.outstanding + c.request;
    if (keys != keys)
      bestKnown = secondKnown = false;
    if (c.bound > cutoff)
      return;
    if (!best || before(c, *best)) {
      second = best;
      best = &c;
    } else if (!second || before(c, *second)) {
      second = &c;
    } else {
      return;
    }
    if (second)
      cutoff = second->bound;
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
  // The survivors, gathered without a branch per candidate (which of them
  // are dropped follows no pattern a branch predictor could learn).
  uint16_t kept[kMaxCandidates];
  unsigned numKept = 0;
  double limit = best;
  for (unsigned i = 0; i < n; ++i) {
    Candidate &c = cands[i];
    bool drop = (c.fixedTime + r.launch) * (1 + kSearchTolerance) >= limit;
    kept[numKept] = uint16_t(i);
    numKept += !(c.done | drop);
    c.done = c.done | drop;
  }
  double sizes[kMaxSizes];
  dram::Pattern patterns[kMaxSizes];
  unsigned numSizes = 0;
  // boundPattern(cands, n, size) takes every candidate in when the size is
  // not positive (or not a number): such sizes share this pattern.
  dram::Pattern any = boundPattern(cands, 0, 0);
  for (unsigned k = 0; k < numKept; ++k) {
    const Candidate &c = cands[kept[k]];
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
  for (unsigned k = numKept; k-- > 0;) {
    Candidate &c = cands[kept[k]];
    unsigned j = 0;
    while (j < numSizes && !(sizes[j] == c.request))
      ++j;
    if (j < numSizes)
      c.bound =
          std::max(c.fixedTime, times.timeAt(c.minDramBytes, bandwidths[j]));
    lowest.offer(c);
  }
}

/// The candidate the search costs first whatever the shared bound comes to,
/// or null if that depends on it. With every candidate at the same fewest
/// DRAM bytes, the bounds are max(fixed, D) for one D >= 0: while D is at
/// most the least fixed time the order is that of the fixed times, and above
/// it every candidate with fixed <= D ties at D and the most requests in
/// flight (then the largest requests, then the first) go first. So if the
/// first by fixed time also has the most requests in flight of all, it is
/// first for every D. \p secondFixed gets the least fixed time of the rest.
inline Candidate *pickRegardlessOfBound(Candidate *cands, unsigned n,
                                        double &secondFixed) {
  auto bits = [](double v) {
    uint64_t b;
    std::memcpy(&b, &v, sizeof(b));
    return b;
  };
  // One pass, backwards (the lowest fixed times are usually last); on a
  // tie of every key the earlier candidate, met later, wins.
  uint64_t bytes = bits(cands[n - 1].minDramBytes);
  Candidate *byFixed = &cands[n - 1], *byFlight = &cands[n - 1];
  double least = HUGE_VAL, next = HUGE_VAL; // the two least fixed times
  bool sane = true;
  for (unsigned i = n; i-- > 0;) {
    Candidate &c = cands[i];
    double keys = c.fixedTime + c.outstanding + c.request;
    sane &= keys == keys && bits(c.minDramBytes) == bytes;
    next = std::min(next, std::max(least, c.fixedTime));
    least = std::min(least, c.fixedTime);
    if (c.fixedTime <= byFixed->fixedTime &&
        (c.fixedTime < byFixed->fixedTime ||
         c.outstanding > byFixed->outstanding ||
         (c.outstanding == byFixed->outstanding &&
          c.request >= byFixed->request)))
      byFixed = &c;
    if (c.outstanding >= byFlight->outstanding &&
        (c.outstanding > byFlight->outstanding ||
         c.request >= byFlight->request))
      byFlight = &c;
  }
  if (!sane || byFixed != byFlight)
    return nullptr;
  secondFixed = next;
  return byFixed;
}

/// The cheapest candidate's cost. The DRAM model is asked once for a pattern
/// at least as favourable as every candidate's: the most requests in
/// flight, the largest request, and the smallest write share any candidate
/// has at its fewest bytes. That bounds every candidate's time from below
/// (fewest bytes at the best bandwidth); candidates are then costed exactly
/// (\p exact(index, dram), one DRAM call each) in order of that bound until
/// none left can beat the best; if the first is not enough, the bound is
/// refined once per request size. The bound holds when DRAM bandwidth does not
/// drop as requests in flight or their size grow or the write share falls, and
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
///
/// Whatever the order of the work, the choices are those of the search just
/// described, so the result is the same to the bit: every DRAM answer is
/// remembered for the call (DramMemo), the two next picks come out of the
/// passes that set the bounds (Lowest), and the shared pattern is asked
/// only when its answer changes a choice (pickRegardlessOfBound and the
/// comment at its use). That last saving leans on more requests in flight
/// never losing bandwidth (beyond DramMemo::lowerBound's slack), as the
/// stack model guarantees and its property tests check.
template <typename ExactFn, typename ShadowFn>
OpCost bestFirst(Candidate *cands, unsigned n, const ChipRates &r,
                 DramBandwidthFn model, ExactFn exact, ShadowFn shadowFixed) {
  assert(n > 0 && n <= kMaxCandidates && "no tiling candidate");
  DramMemo memo(model);
  DramBandwidthFn dram(memo);
  // Candidates mostly share their byte counts (they differ only by split-K
  // spills), so each quotient below is worked out once per distinct input.
  QuotientMemo times;

  // The most favourable pattern of them all (boundPattern(cands, n, 0)),
  // in four interleaved chains of max and min: they are exact in any order
  // and, as in boundPattern, a NaN never enters.
  dram::Pattern global = boundPattern(cands, 0, 0);
  {
    dram::Pattern part[4] = {global, global, global, global};
    unsigned i = 0;
    for (; i + 4 <= n; i += 4)
      for (unsigned j = 0; j < 4; ++j)
        combine(part[j], cands[i + j]);
    for (; i < n; ++i)
      combine(part[0], cands[i]);
    for (unsigned j = 1; j < 4; ++j) {
      part[0].outstanding = std::max(part[0].outstanding, part[j].outstanding);
      part[0].requestBytes =
          std::max(part[0].requestBytes, part[j].requestBytes);
      part[0].writeFraction =
          std::min(part[0].writeFraction, part[j].writeFraction);
    }
    global = part[0];
  }
  OpCost result;
  bool have = false;
  bool refined = false;
  const Candidate *first = nullptr; ///< the first candidate costed
  Lowest lowest;
  double secondFixed;
  if (Candidate *pick = pickRegardlessOfBound(cands, n, secondFixed)) {
    // The shared bound decides nothing before the first candidate is
    // costed, and then only whether the search stops there: when the rest's
    // lowest bound, max(secondFixed, D) with D = fewest bytes / shared
    // bandwidth, cannot beat it. The refinement that follows otherwise does
    // not depend on it, so that decision is taken with as little as
    // possible: the fixed time alone, or the shared bandwidth if it was
    // asked, or a lower bound on it from the patterns asked (such as the
    // refined bound of the same request size) showing that the search goes
    // on. Only if none settles it is the shared pattern asked.
    pick->done = true;
    first = pick;
    result = exact(pick->index, dram);
    have = true;
    double minBytes = cands[0].minDramBytes;
    auto stops = [&](double bandwidth) {
      double bound = std::max(secondFixed, times.timeAt(minBytes, bandwidth));
      return (bound + r.launch) * (1 + kSearchTolerance) >= result.time;
    };
    // Whether the search stops: 1 yes, 0 no, -1 not known yet.
    auto decided = [&]() {
      bool exactly;
      double low = memo.lowerBound(global, exactly) * r.u;
      if (exactly)
        return stops(low) ? 1 : 0;
      return low > 0 && std::isfinite(low) && !stops(low) ? 0 : -1;
    };
    if (n == 1 ||
        (secondFixed + r.launch) * (1 + kSearchTolerance) >= result.time)
      return result;
    int stop = decided();
    if (stop == 1)
      return result;
    refined = true;
    const Candidate *shadow =
        (shadowFixed(first->index) + r.launch) * (1 + kSearchTolerance) <
                result.time
            ? first
            : nullptr;
    refine(cands, n, r, result.time, shadow, dram, times, lowest);
    if (stop < 0)
      stop = decided();
    if (stop < 0 && stops(dram(global) * r.u))
      return result;
  } else {
    double bMax = dram(global) * r.u;
    for (unsigned i = n; i-- > 0;) {
      cands[i].bound = std::max(cands[i].fixedTime,
                                times.timeAt(cands[i].minDramBytes, bMax));
      lowest.offer(cands[i]);
    }
  }
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
