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
  uint16_t index;     ///< the caller's encoding of the tiling
  bool done;
};

/// Relative slack of the search's stopping test: floating-point noise only
/// (a bound and an exact cost of the same traffic may differ in the last
/// bits), so ties are not re-evaluated.
constexpr double kSearchTolerance = 1e-9;

/// The most favourable pattern of the not yet costed candidates, among
/// those with request size \p request (any size when 0).
inline dram::Pattern boundPattern(const Candidate *cands, unsigned n,
                                  double request) {
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
    p.writeFraction =
        std::min(p.writeFraction,
                 c.minDramBytes > 0 ? c.writeBytes / c.minDramBytes : 0.0);
  }
  return p;
}

/// The cheapest candidate's cost. The DRAM model is asked once for a pattern
/// at least as favourable as every candidate's: the most requests in
/// flight, the largest request, and the smallest write share any candidate
/// has at its fewest bytes. That bounds every candidate's time from below
/// (fewest bytes at the best bandwidth); candidates are then costed exactly
/// (\p exact(index), one DRAM call each) in order of that bound until none
/// left can beat the best; if the first is not enough, the bound is refined
/// once per request size. The bound holds when DRAM bandwidth does not drop
/// as requests in flight or their size grow or the write share falls, and
/// extra reads never shorten DRAM time by diluting the writes (true of
/// Little's law, bus efficiency and read/write turnarounds); should a DRAM
/// model break that, the result is still a real tiling's cost, maybe not
/// the cheapest.
template <typename ExactFn>
OpCost bestFirst(Candidate *cands, unsigned n, const ChipRates &r,
                 DramBandwidthFn dram, ExactFn exact) {
  assert(n > 0 && "no tiling candidate");
  double bMax = dram(boundPattern(cands, n, 0)) * r.u;
  for (unsigned i = 0; i < n; ++i)
    cands[i].bound =
        std::max(cands[i].fixedTime, timeAt(cands[i].minDramBytes, bMax));

  OpCost result;
  bool have = false;
  bool refined = false;
  for (;;) {
    // Lowest bound next; among equals the likeliest to reach it: the most
    // requests in flight, then the largest requests.
    Candidate *next = nullptr;
    for (unsigned i = 0; i < n; ++i) {
      Candidate &c = cands[i];
      if (c.done)
        continue;
      if (!next || c.bound < next->bound ||
          (c.bound == next->bound &&
           (c.outstanding > next->outstanding ||
            (c.outstanding == next->outstanding && c.request > next->request))))
        next = &c;
    }
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
      for (unsigned i = 0; i < n; ++i)
        if ((cands[i].fixedTime + r.launch) * (1 + kSearchTolerance) >=
            result.time)
          cands[i].done = true;
      double seen[8];
      unsigned numSeen = 0;
      for (unsigned i = 0; i < n; ++i) {
        Candidate &c = cands[i];
        if (c.done)
          continue;
        unsigned j = 0;
        while (j < numSeen && seen[j] != c.request)
          ++j;
        if (j < numSeen)
          continue;
        if (numSeen == 8)
          break;
        seen[numSeen++] = c.request;
        double b = dram(boundPattern(cands, n, c.request)) * r.u;
        for (unsigned k = i; k < n; ++k)
          if (!cands[k].done && cands[k].request == c.request)
            cands[k].bound =
                std::max(cands[k].fixedTime, timeAt(cands[k].minDramBytes, b));
      }
      continue;
    }
    next->done = true;
    OpCost c = exact(next->index);
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
