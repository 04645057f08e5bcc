//===- DeviceModel.cpp - Transaction-aware DRAM channel model -------------===//
//
// One channel is a closed loop of `outstanding` requests (DESIGN.md 6.1,
// detailed mode). A request of nb bursts first needs its row: with the hit
// rate h it costs m = nb(1-h) activates. It then occupies three kinds of
// resources in turn: the channel's data bus (column spacing tCCD_S/tCCD_L,
// read/write turnarounds), the activate window of its rank (tRRD, 4 per
// tFAW) and a bank (a row cycle per activate). The sustained rate is the
// slower of
//  (a) a dependency pipeline: the hits of a row wait for its activate, which
//      the bus backlog of the requests queued ahead can hide, and
//  (b) mean value analysis of the loop over those resources, saturating at
//      the p-norm of the per-request demands (resources a miss uses in
//      sequence cannot overlap perfectly; p = inf is the plain bottleneck),
// and refresh stops the rank for tRFC every tREFI. The column spacing, the
// rows closed by refresh and the refresh stalls depend on the rate, so the
// rate is the root of x = F(x). All arithmetic is in clocks of tck; nothing
// is fitted to measurements (`deepstack validate data/reference/dram/*.csv`
// compares it with DRAMsim3).
//
//===----------------------------------------------------------------------===//
#include "runtime/dram/DeviceModel.h"

#include "runtime/dram/AddressMap.h"
#include "runtime/dram/ClosedLoop.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace ds;
using namespace ds::dram;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
/// Upper bound on the passes of the fixed point x = F(x). F depends on x
/// only weakly and usually settles in two or three passes; where it is
/// steep, false position on the bracket takes a few more.
constexpr unsigned kMaxPasses = 16;
/// The fixed point stops when a pass moves the rate by less than this
/// (relative): far below the model's error, far above rounding.
constexpr double kRateTolerance = 1e-6;
/// The queueing analysis is rerun only when its inputs moved by more than
/// this (relative); its answer moves by about as much, so the pass that
/// only confirms convergence costs little.
constexpr double kQueueInputTolerance = 1e-6;
/// The column spacing (spacing -> bursts the scheduler sees -> spacing) is
/// solved to this relative tolerance, in at most kMaxColumnPasses steps.
constexpr double kColumnTolerance = 1e-6;
constexpr unsigned kMaxColumnPasses = 16;
/// Relative room by which the visible bursts must exceed the queues for
/// busTime() to skip the division: far above rounding.
constexpr double kCappedRoom = 1e-9;
/// Activates per request stay above zero so that bank and activate demands
/// stay defined for an all-hit pattern.
constexpr double kMinActivates = 1e-6;
/// Refresh never takes the whole channel: the controller issues between
/// refreshes.
constexpr double kMaxRefreshShare = 0.99;
/// Beyond this many outstanding requests per channel the loop is deep in
/// saturation; the cap bounds the cost for absurd inputs.
constexpr double kMaxPopulation = 4096;

/// A time in seconds as clocks (\p perClock = 1/tck); 0 for a negative or
/// undefined input.
double clocks(double seconds, double perClock) {
  double c = seconds * perClock;
  return std::isfinite(c) && c > 0 ? c : 0;
}

double finiteOr(double v, double fallback) {
  return std::isfinite(v) ? v : fallback;
}

/// Solves t = G(t) for a non-increasing G, starting at \p t, and returns G
/// at the last point evaluated. G(t) lies on the other side of the root
/// from t, so one plain step brackets it; false position with the Illinois
/// modification then closes the bracket superlinearly where plain
/// iteration would oscillate (and, stopped after a fixed count, land on
/// either side). Stops when |G(t) - t| <= tol * G(t) or after \p maxPasses
/// evaluations of G.
template <typename Fn>
double solveFixedPoint(Fn &&g, double t, double tol, unsigned maxPasses) {
  double next = g(t);
  double lo = 0, hLo = 0, hi = 0, hHi = 0;
  bool haveLo = false, haveHi = false;
  int lastSide = 0;
  for (unsigned i = 1; i < maxPasses; ++i) {
    double h = next - t;
    if (std::fabs(h) <= tol * std::fabs(next))
      break;
    if (h > 0) {
      lo = t, hLo = h, haveLo = true;
      if (lastSide > 0 && haveHi)
        hHi /= 2;
      lastSide = 1;
    } else {
      hi = t, hHi = h, haveHi = true;
      if (lastSide < 0 && haveLo)
        hLo /= 2;
      lastSide = -1;
    }
    t = haveLo && haveHi ? (lo * hHi - hi * hLo) / (hHi - hLo) : next;
    next = g(t);
  }
  return next;
}

/// The channel of a device serving a pattern, in clocks of tck, with every
/// term that does not depend on the rate.
class ChannelModel {
public:
  ChannelModel(const Device &d, const Pattern &p, double hitRate);
  Result solve();

private:
  /// What one pass of the fixed point computes at a rate x.
  struct Pass {
    double next;                         ///< F(x), requests per clock
    double bus, activate, bank, latency; ///< clocks per request
    double period;                       ///< clocks per request before refresh
    double refresh;                      ///< share of time lost to refresh
  };
  double interleaved(double x, double visible, double batch) const;
  double busTime(double x);
  Pass pass(double x);

  const Device &d;
  double tck, q, nb, tBL, tS, tL, cl, tRCD, tRP, delta0, nBanks;
  double readQ, writeQ, w, n, m;
  double residual, coupling;
  BankSpread s;
  bool stream, rotation, randomBanks;
  double run, targets, perTarget, logTargets, runBursts, perRunBurst, pair;
  double streamWaiting; ///< bursts of a stream waiting for an activate
  double hitLatency, writeLatency, turnPerRequest, actSpacing;
  Station bankStation;
  RefreshMode refresh;
  double tRFC, tREFI, closeInterval = kInf, refreshBase = 0;
  double streamBus = 0; ///< bus time when it does not depend on the rate
  double readSpacing;   ///< the last column spacing of reads
  // The last queueing analysis and its inputs.
  double mvaRate = 0, mvaDelay = -1, mvaBus = -1, mvaSaturation = -1;
};

ChannelModel::ChannelModel(const Device &dev, const Pattern &p, double h)
    : d(dev), tck(dev.tck) {
  const double perClock = 1 / tck;
  auto clk = [perClock](double s) { return clocks(s, perClock); };
  q = std::max(0.0, finiteOr(p.requestBytes, 0));
  nb = std::max(1.0, std::ceil(q / d.burstBytes)); // whole bursts move
  tBL = clk(d.burstTime);                          // > 0: evaluate() checked it
  tS = std::max(tBL, clk(d.tCCD_S)); // column to another bank group
  tL = std::max(tBL, clk(d.tCCD_L)); // column to the same bank group
  cl = clk(d.tCL);
  tRCD = clk(d.tRCD);
  tRP = clk(d.tRP);
  delta0 = tRP + tRCD; // a miss on a bank with another row open
  nBanks = double(std::max(1u, d.bankGroups)) * std::max(1u, d.banksPerGroup) *
           std::max(1u, d.ranks);
  readQ = d.readQueue;
  writeQ = std::max(1u, d.writeQueue);
  w = std::clamp(finiteOr(p.writeFraction, 0), 0.0, 1.0);
  n = std::clamp(std::floor(finiteOr(p.outstanding, 1)), 1.0, kMaxPopulation);
  m = std::clamp(nb * (1 - h), kMinActivates, 1.0); // activates per request
  residual = std::clamp(finiteOr(d.residual, 0.5), 0.0, 1.0);
  coupling = std::isnan(d.coupling) ? kInf : std::max(1.0, d.coupling);

  s = spreadOf(d, p, nb);
  stream = s.flow == Flow::Stream;
  rotation = s.flow == Flow::Rotation;
  randomBanks = !stream && !rotation;
  run = s.run > 0 ? s.run : 1 / m; // geometric runs: mean 1/m requests
  targets = s.groups * s.ranks;    // (rank, bank group) pairs in use
  perTarget = 1 / targets;
  logTargets = randomBanks && targets >= 2 ? std::log(targets) : 0;
  runBursts = run * nb;
  perRunBurst = 1 / runBursts;
  streamWaiting = delta0 / tL;
  // Two runs in different bank groups interleave at max(tCCD_S, tCCD_L/2).
  pair = std::max(tS, tL / 2);
  readSpacing = tL;

  double ctrl = clk(d.controllerLatency);
  hitLatency = ctrl + cl + tBL + (nb - 1) * tL;
  writeLatency = ctrl; // writes are posted
  // One read->write and one write->read switch per drained write batch.
  double turn =
      cl + clk(d.tWTR_S) + std::max(0.0, finiteOr(d.rtwBubbleClocks, 0));
  turnPerRequest = (w > 0 && w < 1) ? w / writeQ * turn : 0;
  actSpacing =
      std::max(clk(d.tFAW) / 4, s.groups >= 2 ? clk(d.tRRD_S) : clk(d.tRRD_L));
  // Row cycle per miss: a read precharges after tRTP, a write after its
  // data and the write recovery.
  double tRAS = clk(d.tRAS);
  double rcRead = std::max(tRAS, tRCD + clk(d.tRTP)) + tRP;
  double rcWrite = std::max(tRAS, tRCD + clk(d.tCWL) + tBL + clk(d.tWR)) + tRP;
  double rowCycle = (1 - w) * rcRead + w * rcWrite;
  // Random banks are k separate servers; a rotation or a stream visits
  // them in turn, which is one server k times as fast.
  bankStation = randomBanks ? Station{s.banks, m / s.banks, rowCycle}
                            : Station{1, m, rowCycle / s.banks};

  tRFC = clk(d.tRFC);
  tREFI = clk(d.tREFI);
  refresh = tREFI > 0 ? d.refresh : RefreshMode::None;
  if (refresh == RefreshMode::AllBank) {
    closeInterval = tREFI;
    refreshBase = std::min(kMaxRefreshShare, tRFC / tREFI);
  } else if (refresh == RefreshMode::PerBank) {
    closeInterval = tREFI * nBanks;
    refreshBase = std::min(kMaxRefreshShare, tRFC / (tREFI * nBanks));
  }
  if (!randomBanks)
    streamBus = busTime(0);
}

/// Column spacing per burst. A run issues at tCCD_L unless a ready burst of
/// a run in another (rank, bank group) can be interleaved. \p visible bursts
/// are in the scheduler's queues, \p batch of them drained together.
double ChannelModel::interleaved(double x, double visible, double batch) const {
  // Bursts still waiting for their activate: one run for a stream, the
  // runs opened within an activate time otherwise.
  double waiting = stream ? streamWaiting : x * m * delta0 * runBursts;
  double others = std::max(0.0, visible - 1 - waiting);
  double runsReady = others * perRunBurst;
  double share =
      std::min(1.0, 2 * runsReady) * std::min(1.0, batch * perRunBurst);
  // The chance that a ready run is in another group (1 - targets^-runs); a
  // stream's map sends the next run to the next group.
  double otherGroup = 0;
  if (targets >= 2)
    otherGroup = stream           ? 1
                 : runsReady <= 1 ? 1 - perTarget
                                  : 1 - std::exp(-logTargets * runsReady);
  return share * (otherGroup * pair + (1 - otherGroup) * tL) + (1 - share) * tL;
}

/// Data-bus clocks per request at rate \p x, turnarounds included.
double ChannelModel::busTime(double x) {
  double tcolRead = targets >= 2 ? tS : tL, tcolWrite = tcolRead;
  if (!rotation) {
    // Visible reads: all outstanding bursts minus those whose data is in
    // flight; a stream is held to the read queue and one command queue.
    // A longer spacing leaves more bursts waiting, which interleave better:
    // the spacing is the fixed point of a non-increasing map.
    double cap = stream ? readQ + d.bankQueue : n * nb;
    auto spacing = [&](double t) {
      return interleaved(x, std::min(n * nb - (cl + tBL) / t, cap), kInf);
    };
    // When the queues hold fewer bursts than are outstanding (a stream's
    // usual case), the visible bursts are `cap` whatever the spacing, and
    // the fixed point is reached at once. `capped` proves that without
    // the division (with room for rounding): then spacing(t) is exactly
    // interleaved(x, cap, kInf), and so is what solveFixedPoint returns
    // after one step (converged) or two (the second repeats the first).
    double room = n * nb - cap, busy = cl + tBL;
    auto capped = [&](double t) {
      return t > 0 && room > 0 && std::isfinite(room * t) &&
             busy * (1 + kCappedRoom) <= room * t * (1 - kCappedRoom);
    };
    double first = 0;
    bool shortcut = false;
    if (capped(readSpacing)) {
      first = interleaved(x, cap, kInf);
      shortcut = std::fabs(first - readSpacing) <=
                     kColumnTolerance * std::fabs(first) ||
                 capped(first);
    }
    // Start from the previous pass's spacing: the rate moved little.
    tcolRead = shortcut ? first
                        : solveFixedPoint(spacing, readSpacing,
                                          kColumnTolerance, kMaxColumnPasses);
    readSpacing = tcolRead;
    // Writes drain in batches of the whole write queue.
    tcolWrite = interleaved(x, writeQ, writeQ);
  }
  return nb * ((1 - w) * tcolRead + w * tcolWrite) + turnPerRequest;
}

ChannelModel::Pass ChannelModel::pass(double x) {
  Pass r;
  r.bus = randomBanks ? busTime(x) : streamBus;
  // A miss finds its bank precharged (costs only tRCD) when a refresh came
  // since the previous miss to that bank.
  double revisit = stream     ? nBanks * run / x
                   : rotation ? s.banks / x
                              : s.banks / (x * m);
  double closed =
      d.refreshClosesRows ? std::min(1.0, revisit / closeInterval) : 0;
  double delta = tRCD + (1 - closed) * tRP;
  // (a) The activate of a run hides behind the bus backlog of the requests
  // queued ahead; misses within one window overlap (one start per max(R, N)
  // requests for fixed runs, 1 + (N-1)m per window for geometric ones).
  double exposed = std::max(0.0, delta - std::max(0.0, n * r.bus - hitLatency));
  double overlap = randomBanks ? run + n - 1 : std::max(run, n);
  r.latency = hitLatency / n + exposed / overlap;
  double pipeline = std::max(hitLatency / n, r.bus) + exposed / overlap;
  // (b) Queueing over the bus, the activate window of each rank and banks.
  double unloaded = (1 - w) * (hitLatency + m * delta) + w * writeLatency;
  Station st[3] = {
      {1, 1, r.bus}, {s.ranks, m / s.ranks, actSpacing}, bankStation};
  r.activate = st[1].visits * st[1].service;
  r.bank = st[2].visits * st[2].service;
  // A stream's or rotation's banks work beside its bus and activates.
  double saturation =
      randomBanks ? pNorm({r.bus, r.activate, r.bank}, coupling)
                  : std::max(pNorm({r.bus, r.activate}, coupling), r.bank);
  auto moved = [](double a, double b) {
    return std::fabs(a - b) > kQueueInputTolerance * std::fabs(a);
  };
  if (moved(unloaded, mvaDelay) || moved(r.bus, mvaBus) ||
      moved(saturation, mvaSaturation)) {
    mvaRate =
        meanValueAnalysis(unsigned(n), unloaded, st, residual, 1 / saturation);
    mvaDelay = unloaded;
    mvaBus = r.bus;
    mvaSaturation = saturation;
  }
  r.period = std::max(pipeline, 1 / mvaRate);
  // (c) Refresh stops a rank for tRFC every tREFI. With several ranks in
  // use, the requests pile up on the refreshing one after `escape` and
  // stall the others too.
  double ranksUsed = stream ? 1 : s.ranks;
  double escape = (ranksUsed - 1) * std::max(n, run) * r.period;
  double stall = (refresh == RefreshMode::AllBank && d.refreshBlocksRanks)
                     ? (ranksUsed - 1) * std::max(0.0, tRFC - escape) / tREFI
                     : 0;
  r.refresh = std::min(kMaxRefreshShare, refreshBase + stall);
  r.next = (1 - r.refresh) / r.period;
  return r;
}

Result ChannelModel::solve() {
  // Start at the tighter of the latency and throughput bounds (with the
  // best column spacing), close to where the fixed point ends.
  double bus0 =
      randomBanks ? nb * std::min(pair, tL) + turnPerRequest : streamBus;
  double x =
      (1 - refreshBase) *
      std::min(n / ((1 - w) * (hitLatency + m * delta0) + w * writeLatency),
               1 / std::max({bus0, m / s.ranks * actSpacing,
                             bankStation.visits * bankStation.service}));
  // F is non-increasing: a higher rate leaves fewer ready bursts to
  // interleave and fewer rows closed by refresh.
  Pass r;
  double next = solveFixedPoint(
      [&](double rate) {
        r = pass(rate);
        return r.next;
      },
      x, kRateTolerance, kMaxPasses);

  Result res;
  double perSecond = d.channels / tck; // per clock of one channel -> device
  double useful = next * q * perSecond;
  double moved = next * nb * d.burstBytes * perSecond;
  res.requestRate = next * perSecond;
  res.bandwidth =
      std::min(useful, d.peakBandwidth() * std::min(1.0, useful / moved));

  // Read latency by Little's law over the requests inside the controller:
  // its read queue, the command queues of the banks it feeds and the data
  // in flight; requests beyond that wait before they are issued.
  double feeding = stream ? 1 + std::ceil(readQ / runBursts) : s.banks;
  double inside = std::min(n, (readQ + d.bankQueue * feeding) / nb +
                                  (cl + tBL) / (nb * tBL));
  double read = hitLatency + m * delta0;
  if (w < 1)
    read = std::max(hitLatency, (inside / next - w * writeLatency) / (1 - w));
  res.latency = read * tck;

  // The binding limit: the largest time per request.
  std::pair<Limit, double> limits[] = {
      {Limit::Latency, r.latency},
      {Limit::Bus, r.bus},
      {Limit::Activate, r.activate},
      {Limit::Bank, r.bank},
      {Limit::Refresh, r.refresh / (1 - r.refresh) * r.period}};
  res.bound =
      std::max_element(std::begin(limits), std::end(limits),
                       [](auto &a, auto &b) { return a.second < b.second; })
          ->first;
  return res;
}
} // namespace

double Device::peakBandwidth() const {
  return channels * burstBytes / burstTime;
}

llvm::ArrayRef<const char *> dram::patternKindSpellings() {
  static const char *const spellings[] = {"seq", "random", "stride", "rowloc",
                                          "banks"};
  return spellings;
}

llvm::StringRef dram::limitName(Limit l) {
  switch (l) {
  case Limit::Latency:
    return "latency (Little's law)";
  case Limit::Bus:
    return "data bus";
  case Limit::Activate:
    return "activate window (tRRD/tFAW)";
  case Limit::Bank:
    return "bank cycle (tRC)";
  case Limit::Refresh:
    return "refresh";
  }
  return "";
}

Result dram::evaluate(const Device &d, const Pattern &p) {
  // Without a clock, a burst or a channel there is no transfer to model.
  double burstClocks = d.burstTime / d.tck;
  if (!(d.tck > 0) || !(d.burstBytes > 0) || !std::isfinite(d.burstBytes) ||
      !(burstClocks > 0) || !std::isfinite(burstClocks) || d.channels == 0)
    return Result();
  double h = p.rowHitRate;
  if (!(h >= 0 && h <= 1))
    h = estimateRowHitRate(d, p);
  Result r = ChannelModel(d, p, h).solve();
  r.rowHitRate = h;
  return r;
}
