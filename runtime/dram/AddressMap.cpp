//===- AddressMap.cpp - How an access pattern spreads over banks ----------===//
//
// Bank coordinates of the i-th run: rank i / (groups * banks per group),
// bank group i % groups, bank (i / groups) % banks per group. The row hit
// rate a pattern gets follows from the same runs.
//
//===----------------------------------------------------------------------===//
#include "runtime/dram/AddressMap.h"

#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cmath>

using namespace ds;
using namespace ds::dram;

namespace {
/// A stride is sampled over this many requests per bank to find the banks
/// it reaches: enough to close the rotation of any stride.
constexpr unsigned kStrideSamplesPerBank = 4;

/// The banks, ranks and bank groups reached by requests `stride` bytes apart
/// when the stride is at least a run (every request in a new run).
BankSpread strideRotation(double stride, double run, unsigned groups,
                          unsigned perGroup, unsigned ranks) {
  unsigned nBanks = groups * perGroup * ranks;
  // Request i lands in run floor(i * stride / run): step the quotient and
  // the remainder instead of dividing per sample.
  double whole = std::floor(stride / run);
  double frac = stride - whole * run;
  unsigned step = unsigned(std::fmod(whole, double(nBanks)));
  llvm::SmallVector<uint8_t, 64> seenBank(nBanks, 0), seenRank(ranks, 0),
      seenGroup(groups, 0);
  unsigned banks = 0, rankCount = 0, groupCount = 0, id = 0;
  double rem = 0;
  for (unsigned i = 0; i < kStrideSamplesPerBank * nBanks; ++i) {
    if (!seenBank[id]) {
      seenBank[id] = 1;
      ++banks;
      unsigned r = id / (groups * perGroup), g = id % groups;
      rankCount += !seenRank[r];
      groupCount += !seenGroup[g];
      seenRank[r] = seenGroup[g] = 1;
    }
    rem += frac;
    unsigned carry = rem >= run;
    rem -= carry * run;
    id += step + carry; // step < nBanks: one subtraction wraps it
    if (id >= nBanks)
      id -= nBanks;
    if (id == 0 && rem == 0) // back at the start: the rotation repeats
      break;
  }
  return {Flow::Rotation, double(banks), double(rankCount), double(groupCount),
          1};
}
} // namespace

double dram::runBytes(const Device &d) {
  return std::max(d.burstBytes, d.seqRunBytes);
}

BankSpread dram::spreadOf(const Device &d, const Pattern &p, double bursts) {
  unsigned groups = std::max(1u, d.bankGroups);
  unsigned perGroup = std::max(1u, d.banksPerGroup);
  unsigned ranks = std::max(1u, d.ranks);
  double nBanks = double(groups) * perGroup * ranks;
  double run = runBytes(d);
  double request = bursts * d.burstBytes;
  double param = std::isfinite(p.param) ? std::fabs(p.param) : 0;
  BankSpread all{Flow::Random, nBanks, double(ranks), double(groups), 1};
  switch (p.kind) {
  case PatternKind::Sequential:
    return {Flow::Stream, nBanks, double(ranks), double(groups),
            std::max(1.0, run / request)};
  case PatternKind::Stride:
    // A stride shorter than a run walks the run, then the map moves on like
    // a sequential stream.
    if (param < run)
      return {Flow::Stream, nBanks, double(ranks), double(groups),
              std::max(1.0, run / std::max(param, request))};
    return strideRotation(param, run, groups, perGroup, ranks);
  case PatternKind::Banks: {
    // Bank groups fill first, then banks in a group, then ranks.
    double k = std::clamp(std::floor(param), 1.0, nBanks);
    return {Flow::Random, k, std::ceil(k / (groups * perGroup)),
            std::min(k, double(groups)), 1};
  }
  case PatternKind::RowLocal:
    all.flow = Flow::RandomRuns;
    all.run = 0;
    return all;
  case PatternKind::Random:
    break;
  }
  return all;
}

double dram::estimateRowHitRate(const Device &d, const Pattern &p) {
  if (!(d.burstBytes > 0) || !std::isfinite(d.burstBytes))
    return 0;
  double request = std::isfinite(p.requestBytes) ? p.requestBytes : 0;
  double nb = std::max(1.0, std::ceil(request / d.burstBytes));
  double run = runBytes(d);
  // A request stays in one row: every burst after its first hits.
  double withinRequest = (nb - 1) / nb;
  double param = std::isfinite(p.param) ? std::fabs(p.param) : 0;
  switch (p.kind) {
  case PatternKind::Sequential:
    // One activate per run of the address map.
    return std::max(0.0, 1 - d.burstBytes / run);
  case PatternKind::Stride: {
    // One activate per run, shared by the requests that fit in it.
    double step = std::max(param, nb * d.burstBytes);
    return step >= run ? withinRequest : std::max(0.0, 1 - step / run / nb);
  }
  case PatternKind::RowLocal:
    return 1 - (1 - std::clamp(param, 0.0, 1.0)) / nb;
  case PatternKind::Random:
  case PatternKind::Banks:
    // A random row is almost never the open one.
    return withinRequest;
  }
  return 0;
}
