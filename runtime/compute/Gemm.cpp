//===- Gemm.cpp - GEMM tiled onto cores, SRAM, L2 and DRAM ----------------===//
//
// DESIGN.md 6.2: every tile that fits SRAM is costed (compute with wave
// quantization and mma padding, SRAM, L2 and DRAM traffic from the tiling
// and the L2 reuse its rasterization allows), optionally split along K when
// the tiles alone cannot fill the cores, and the fastest is kept. The
// search is allocation-free and asks the DRAM model as few times as the
// best-first bound allows (ComputeDetail.h).
//
//===----------------------------------------------------------------------===//
#include "runtime/compute/ComputeDetail.h"

using namespace ds;
using namespace ds::compute;
using namespace ds::compute::detail;

namespace {

/// Candidate tiles (DESIGN.md 6.2): powers of two from the 16-row fragment a
/// warp computes to the 256-wide tile a core's registers can accumulate.
constexpr int64_t kTileMN[] = {16, 32, 64, 128, 256};
constexpr int64_t kTileK[] = {32, 64};
constexpr unsigned kNumMN = sizeof(kTileMN) / sizeof(kTileMN[0]);
constexpr unsigned kNumK = sizeof(kTileK) / sizeof(kTileK[0]);
/// Split-K factors, tried only while tiles * split still fit on the cores
/// (decode GEMMs): powers of two, as cuBLAS's split-K heuristics use.
constexpr int64_t kSplits[] = {1, 2, 4, 8, 16};
constexpr unsigned kNumSplits = sizeof(kSplits) / sizeof(kSplits[0]);
/// Split-K partial sums are FP32 (INT32 for integer GEMMs).
constexpr double kPartialBytes = 4;

/// The GEMM with everything that does not depend on the tile worked out.
struct Problem {
  const ChipRates &r;
  int64_t m, n, k; ///< m includes the batch when B is shared
  double inst;     ///< independent GEMMs (batch unless B is shared)
  double ba, bb, bo;
  double a, b, c;                  ///< bytes of A, B and C of one instance
  double flops;                    ///< useful FLOPs, all instances
  double invCorePeak, invCoreSram; ///< s per FLOP and per SRAM byte of one
                                   ///< core, derated (0: not modelled)
  double invL2;                    ///< s per L2 byte, derated
  double invCores, invChannels, invMmaM; ///< divisions hoisted out of the
                                         ///< search
  int64_t mmaK; ///< instruction depth for these operand types

  Problem(const ChipRates &r, const ChipIR &chip, const GemmShape &s) : r(r) {
    assert(s.m >= 1 && s.n >= 1 && s.k >= 1 && s.batch >= 1 &&
           "GEMM dimensions must be positive");
    int64_t batch = std::max<int64_t>(1, s.batch);
    m = std::max<int64_t>(1, s.m);
    n = std::max<int64_t>(1, s.n);
    k = std::max<int64_t>(1, s.k);
    // With B shared the batch is rows of one taller A: a kernel sees the
    // stacked activations of a Linear layer as a single GEMM.
    if (s.sharedB)
      m *= batch;
    inst = s.sharedB ? 1.0 : double(batch);
    ba = dtypeBytes(s.a);
    bb = dtypeBytes(s.b);
    bo = dtypeBytes(s.out);
    a = double(m) * double(k) * ba;
    b = double(k) * double(n) * bb;
    c = double(m) * double(n) * bo;
    flops = 2.0 * double(m) * double(n) * double(k) * inst;
    double corePeak = peakFlops(chip, s.a, s.b) * r.u / r.cores;
    invCorePeak = corePeak > 0 && std::isfinite(corePeak) ? 1 / corePeak : 0;
    double coreSram = r.sramBandwidth / r.cores;
    invCoreSram = coreSram > 0 && std::isfinite(coreSram) ? 1 / coreSram : 0;
    invL2 = r.l2Bandwidth > 0 && std::isfinite(r.l2Bandwidth)
                ? 1 / r.l2Bandwidth
                : 0;
    invCores = 1 / r.cores;
    invChannels = 1 / r.channels;
    invMmaM = 1 / double(r.mmaM);
    mmaK = mmaDepth(r, s.a, s.b);
  }

  /// Double-buffered (pipelineStages) A and B tiles must fit a core's SRAM.
  bool fits(int64_t tm, int64_t tn, int64_t tk) const {
    return (double(tm * tk) * ba + double(tk * tn) * bb) * double(r.stages) <=
           r.sramPerCore;
  }
};

/// What one tile size fixes along M or N: tile count, the size the tensor
/// unit executes, and the rows (columns) actually fetched.
struct Axis {
  int64_t t;
  double count, executed, fetched;
  Axis(int64_t t, int64_t dim, int64_t mma)
      : t(t), count(double(ceilDiv(dim, t))), executed(double(roundUp(t, mma))),
        fetched(double(std::min(t, dim))) {}
};

/// What one tile depth fixes along K.
struct DepthAxis {
  int64_t t;
  double steps, executed, rowA, rowB; ///< row*: a tile row in DRAM requests
  DepthAxis(const Problem &p, int64_t t)
      : t(t), steps(double(ceilDiv(p.k, t))),
        executed(double(roundUp(t, p.mmaK))),
        rowA(roundUp(double(t) * p.ba, p.r.sector)),
        rowB(roundUp(double(t) * p.bb, p.r.sector)) {}
};

/// What a tile shape fixes, whatever the split: worked out once per shape
/// so that costing a split is a handful of multiplications.
struct Geometry {
  int64_t tm, tn, tk;
  double gm, gn;     ///< tile rows and columns of one instance
  double kSteps;     ///< k-steps over all of K
  double stepFlops;  ///< FLOPs a tile executes per k-step
  double stepSram;   ///< SRAM bytes a tile reads per k-step
  double l2Operands; ///< L2 bytes of operands and output, all instances
  double request;    ///< DRAM request bytes
  double perCore;    ///< requests per channel one busy core keeps in flight
};

/// Fills \p g in place: the search keeps its shapes in an array, and
/// copying a returned Geometry into it reloads the fields just stored.
void geometry(const Problem &p, const Axis &am, const Axis &an,
              const DepthAxis &ak, Geometry &g) {
  const ChipRates &r = p.r;
  g.tm = am.t;
  g.tn = an.t;
  g.tk = ak.t;
  g.gm = am.count;
  g.gn = an.count;
  g.kSteps = ak.steps;
  double tk = double(ak.t);

  // The tensor unit executes whole instructions over whole tiles: edge
  // tiles and rows below mma.m are computed on zeros (TMA zero-fills), so a
  // 1-row decode GEMM costs mma.m rows.
  g.stepFlops = 2 * am.executed * an.executed * ak.executed;

  // SRAM: per k-step the MMAs read the staged A tile once and the B tile
  // once per mma.m-row slab (each Hopper warpgroup's wgmma reads all of B
  // for its 64 rows). The copy engine's writes into SRAM are not counted:
  // they use the async-copy path.
  g.stepSram = am.executed * tk * p.ba +
               am.executed * p.invMmaM * tk * an.executed * p.bb;

  // L2: each tile column reads all of A and each tile row all of B (TMA
  // fetches only in-bound rows); outputs are written through L2.
  g.l2Operands = p.inst * (g.gn * p.a + g.gm * p.b + p.c);

  // DRAM requests: tiles stream K-contiguous rows (the [out, in] layout of
  // Linear weights and activations), so a core asks for one tile row of
  // tk elements per k-step, rounded up to whole sectors; the operand that
  // moves the most bytes sets the request size.
  if (p.b >= p.a)
    g.request = p.b >= p.c ? ak.rowB : roundUp(double(an.t) * p.bo, r.sector);
  else
    g.request = p.a >= p.c ? ak.rowA : roundUp(double(an.t) * p.bo, r.sector);
  // In flight: a busy core keeps pipelineStages tile loads outstanding (of
  // in-bound rows only) and can have its output tile's posted stores in
  // flight (which matters when K is short and writes dominate), spread over
  // all channels.
  double stageBytes = am.fetched * tk * p.ba + tk * an.fetched * p.bb;
  double storeBytes = am.fetched * an.fetched * p.bo;
  g.perCore =
      (double(r.stages) * stageBytes + storeBytes) * p.invChannels / g.request;
}

/// One tiling costed in everything but DRAM time.
struct Plan {
  const Geometry *g;
  int64_t split;
  double tiles, waves;
  double kDepth; ///< K one tile covers (one split's slice)
  double exec;   ///< FLOPs executed, padding included
  double sramBytes, l2Bytes;
  double computeTime, sramTime, l2Time;
  double spill; ///< split-K partials that do not fit L2: DRAM bytes
  double outstanding;
};

Plan plan(const Problem &p, const Geometry &g, int64_t split) {
  const ChipRates &r = p.r;
  Plan q;
  q.g = &g;
  q.split = split;
  q.tiles = p.inst * g.gm * g.gn * double(split);
  q.waves = q.tiles * p.invCores;
  // Compute and SRAM are per core: each core runs ceil(W) tiles, so a
  // partial last wave costs a full one.
  double wavesCeil = std::ceil(q.waves);
  double kSteps = std::ceil(g.kSteps / double(split));
  q.kDepth = std::min(double(p.k), kSteps * double(g.tk));
  q.exec = q.tiles * kSteps * g.stepFlops;
  q.computeTime = wavesCeil * kSteps * g.stepFlops * p.invCorePeak;
  q.sramBytes = q.tiles * kSteps * g.stepSram;
  q.sramTime = wavesCeil * kSteps * g.stepSram * p.invCoreSram;
  // Split-K partials are written to L2 and read back once.
  double partials = split > 1 ? p.inst * double(split) * double(p.m) *
                                    double(p.n) * kPartialBytes
                              : 0.0;
  q.l2Bytes = g.l2Operands + 2 * partials;
  q.l2Time = q.l2Bytes * p.invL2;
  q.spill = partials > r.l2 ? 2 * partials : 0.0;
  q.outstanding = std::max(1.0, std::min(r.cores, q.tiles) * g.perCore);
  return q;
}

/// How often A and B are read from DRAM. Tiles are rasterized in blocks of
/// `rows` tile rows x `cols` tile columns whose A and B panels are each
/// fetched once per block, so A is read ceil(gn / cols) times and B
/// ceil(gm / rows) times: `cols` and `rows` are the panel counts of
/// DESIGN.md 6.2. A block is physical when one of these holds:
///  (a) it is part of one wave: its tiles run concurrently and walk K in
///      step, so a k-slice one tile fetches is still in L2 when the others
///      ask for it (needs only a few slices of L2): rows * cols <= P;
///  (b) its `rows` A panels stay in L2 while B panels stream through in
///      step (rows <= P): grouped rasterization (CUTLASS swizzle, Triton
///      GROUP_M); A is then read once (cols = gn);
///  (c) the same with `cols` B panels resident and A streaming (rows = gm);
///  (d) all its panels stay in L2 together: (rows * tm * ba + cols * tn *
///      bb) * K <= L2; when both operands fit, both are read once.
/// P = tiles in flight, at most one per core. The cheapest block is taken.
/// Rows (columns) run over powers of two and the full grid, a set that does
/// not depend on K or P, so traffic never falls when K grows or P shrinks.
struct Reuse {
  double fa = 1, fb = 1;
  int64_t rows = 1, cols = 1;
};

Reuse reuse(const Problem &p, const Plan &q) {
  const ChipRates &r = p.r;
  const Geometry &g = *q.g;
  double P = std::min(r.cores, g.gm * g.gn);
  double panelB = double(g.tn) * q.kDepth * p.bb;
  auto bytesA = [&](double rows) {
    return std::min(rows * double(g.tm), double(p.m)) * q.kDepth * p.ba;
  };
  auto bytesB = [&](double cols) {
    return std::min(cols * double(g.tn), double(p.n)) * q.kDepth * p.bb;
  };
  Reuse best;
  double bestBytes = -1;
  auto consider = [&](double rows, double cols) {
    rows = std::clamp(rows, 1.0, g.gm);
    cols = std::clamp(cols, 1.0, g.gn);
    double fa = std::ceil(g.gn / cols), fb = std::ceil(g.gm / rows);
    double bytes = p.a * fa + p.b * fb;
    if (bestBytes < 0 || bytes < bestBytes) {
      bestBytes = bytes;
      best = {fa, fb, int64_t(rows), int64_t(cols)};
    }
  };
  auto forEach = [](double limit, auto fn) {
    double v = 1;
    for (; v < limit; v *= 2)
      fn(v);
    fn(limit);
  };
  forEach(g.gm, [&](double rows) {
    double cols = 1;
    if (rows <= P) {
      cols = std::floor(P / rows); // (a)
      if (bytesA(rows) <= r.l2)
        cols = g.gn; // (b)
    }
    double left = r.l2 - bytesA(rows); // (d)
    if (left >= bytesB(g.gn))
      cols = g.gn;
    else if (left > 0)
      cols = std::max(cols, std::floor(left / panelB));
    consider(rows, cols);
  });
  forEach(g.gn, [&](double cols) {
    if (cols <= P && bytesB(cols) <= r.l2)
      consider(g.gm, cols); // (c)
  });
  return best;
}

/// The full cost of a plan: its L2 reuse, DRAM traffic and DRAM time.
OpCost complete(const Problem &p, const Plan &q, DramBandwidthFn dram) {
  const ChipRates &r = p.r;
  const Geometry &g = *q.g;
  OpCost c;
  c.tile = {g.tm, g.tn, g.tk, q.split};
  c.flops = p.flops;
  c.paddedFlops = q.exec;
  c.waves = q.waves;
  Reuse u = reuse(p, q);
  c.panelM = u.rows;
  c.panelN = u.cols;
  double writes = p.inst * p.c + q.spill / 2;
  c.dramBytes = p.inst * (p.a * u.fa + p.b * u.fb + p.c) + q.spill;
  c.l2Bytes = q.l2Bytes;
  c.sramBytes = q.sramBytes;
  c.pattern.kind = dram::PatternKind::Sequential;
  c.pattern.requestBytes = g.request;
  c.pattern.writeFraction = c.dramBytes > 0 ? writes / c.dramBytes : 0;
  c.pattern.outstanding = q.outstanding;
  c.computeTime = q.computeTime;
  c.sramTime = q.sramTime;
  c.l2Time = q.l2Time;
  // DRAM and L2 are shared by all cores: a partial last wave still has the
  // whole bandwidth, so only compute and SRAM carry wave quantization.
  c.dramTime = timeAt(c.dramBytes, dram(c.pattern) * r.u);
  finish(c, r.launch);
  return c;
}

} // namespace

OpCost compute::gemmWithTile(const ChipIR &chip, const GemmShape &s, Tile t,
                             DramBandwidthFn dram) {
  ChipRates r(chip);
  Problem p(r, chip, s);
  Geometry g;
  geometry(p, Axis(std::max<int64_t>(1, t.m), p.m, r.mmaM),
           Axis(std::max<int64_t>(1, t.n), p.n, r.mmaN),
           DepthAxis(p, std::max<int64_t>(1, t.k)), g);
  return complete(p, plan(p, g, std::max<int64_t>(1, t.splitK)), dram);
}

OpCost compute::gemm(const ChipIR &chip, const GemmShape &s,
                     DramBandwidthFn dram) {
  ChipRates r(chip);
  Problem p(r, chip, s);
  // Divisions per tile size, not per tile shape.
  const Axis ms[] = {{kTileMN[0], p.m, r.mmaM},
                     {kTileMN[1], p.m, r.mmaM},
                     {kTileMN[2], p.m, r.mmaM},
                     {kTileMN[3], p.m, r.mmaM},
                     {kTileMN[4], p.m, r.mmaM}};
  const Axis ns[] = {{kTileMN[0], p.n, r.mmaN},
                     {kTileMN[1], p.n, r.mmaN},
                     {kTileMN[2], p.n, r.mmaN},
                     {kTileMN[3], p.n, r.mmaN},
                     {kTileMN[4], p.n, r.mmaN}};
  const DepthAxis ks[] = {{p, kTileK[0]}, {p, kTileK[1]}};
  static_assert(sizeof(ms) / sizeof(ms[0]) == kNumMN &&
                    sizeof(ks) / sizeof(ks[0]) == kNumK,
                "one axis per tile size");
  // Tiles larger than the smallest one that covers a dimension in a single
  // block are dominated and skipped. Along M, compare tm > t* >= m with t*:
  //  - tile count (1), fetched rows (m) and so tiles, waves, splits, K
  //    steps, L2 bytes, split-K partials, requests in flight and the DRAM
  //    request (set by K or N) are the same;
  //  - the L2 reuse is the same: with one tile row, reuse() only considers
  //    rows = 1, where min(rows * tm, m) = m for both;
  //  - executed rows roundUp(tm, mma.m) >= roundUp(t*, mma.m), so FLOPs,
  //    compute time and SRAM bytes and time are no smaller (floating-point
  //    products are monotone in each non-negative factor);
  //  - if tm fits SRAM so does t*.
  // So its DRAM bytes, pattern and time are equal, every other term is no
  // smaller, and its cost is never below t*'s. Nor can it win a tie: its
  // search bound is no lower and, among equal bounds and patterns, the
  // search takes the earlier candidate, t*'s (smaller tiles come first),
  // and keeps a later one only if strictly cheaper. The same holds along N
  // unless the output is the largest operand, in which case the DRAM
  // request is a tile row of the output (tn wide) and a wider tile may get
  // more bandwidth: then every width stays. (bestFirst() keeps the search
  // path as it was with them, see shadowFixed below.)
  auto covering = [](int64_t dim) {
    unsigned i = 0;
    while (i + 1 < kNumMN && kTileMN[i] < dim)
      ++i;
    return i + 1;
  };
  bool requestByOutput = p.b >= p.a ? p.c > p.b : p.c > p.a;
  unsigned numM = covering(p.m);
  unsigned numN = requestByOutput ? kNumMN : covering(p.n);

  // The candidates, shape by shape (M outermost, then N, then K, then the
  // split), costed in everything but DRAM time. What geometry() and plan()
  // compute is assembled here from parts shared by a row of the loop (per
  // split, per tile size, per pair of sizes), each part with the same
  // operations in the same order, so that every value is the same to the
  // bit as theirs (complete() recomputes those of the tilings it costs
  // with them).
  uint8_t shapeAxes[kNumMN * kNumMN * kNumK][3]; ///< im, in, ik of a shape
  Candidate cands[kNumMN * kNumMN * kNumK * kNumSplits];
  static_assert(sizeof(cands) / sizeof(cands[0]) <= kMaxCandidates,
                "the search's bound on candidates");
  unsigned numShapes = 0, n = 0;
  // Per split: partials, spill and the write and fewest DRAM bytes.
  double l2Partials[kNumSplits], writeBytes[kNumSplits],
      minDramBytes[kNumSplits], writeShare[kNumSplits];
  for (unsigned is = 0; is < kNumSplits; ++is) {
    int64_t split = kSplits[is];
    double partials = split > 1 ? p.inst * double(split) * double(p.m) *
                                      double(p.n) * kPartialBytes
                                : 0.0;
    double spill = partials > r.l2 ? 2 * partials : 0.0;
    l2Partials[is] = 2 * partials;
    writeBytes[is] = p.inst * p.c + spill / 2;
    minDramBytes[is] = p.inst * (p.a + p.b) + writeBytes[is] + spill / 2;
    writeShare[is] =
        minDramBytes[is] > 0 ? writeBytes[is] / minDramBytes[is] : 0.0;
  }
  // Per depth and split: the k-steps of one slice.
  double sliceSteps[kNumK][kNumSplits];
  for (unsigned ik = 0; ik < kNumK; ++ik)
    for (unsigned is = 0; is < kNumSplits; ++is)
      sliceSteps[ik][is] = std::ceil(ks[ik].steps / double(kSplits[is]));
  auto addShapes = [&](unsigned im, unsigned in) {
    const Axis &am = ms[im], &an = ns[in];
    // Per pair of sizes: tiles, L2 bytes, stores, and per split the waves
    // and L2 time (none of them depends on the depth).
    double tiles = p.inst * am.count * an.count;
    double l2Operands = p.inst * (an.count * p.a + am.count * p.b + p.c);
    double storeBytes = am.fetched * an.fetched * p.bo;
    double outRow =
        requestByOutput ? roundUp(double(an.t) * p.bo, r.sector) : 0.0;
    unsigned numSplits = 1;
    // Split only to fill idle cores; the set of splits grows with the
    // cores, so more cores are never slower.
    while (numSplits < kNumSplits &&
           !(tiles * double(kSplits[numSplits]) > r.cores))
      ++numSplits;
    double wavesCeil[kNumSplits], busy[kNumSplits], l2Time[kNumSplits];
    for (unsigned is = 0; is < numSplits; ++is) {
      double splitTiles = tiles * double(kSplits[is]);
      wavesCeil[is] = std::ceil(splitTiles * p.invCores);
      busy[is] = std::min(r.cores, splitTiles);
      l2Time[is] = (l2Operands + l2Partials[is]) * p.invL2;
    }
    for (unsigned ik = 0; ik < kNumK; ++ik) {
      const DepthAxis &ak = ks[ik];
      if (!p.fits(am.t, an.t, ak.t))
        continue;
      double tk = double(ak.t);
      shapeAxes[numShapes][0] = uint8_t(im);
      shapeAxes[numShapes][1] = uint8_t(in);
      shapeAxes[numShapes][2] = uint8_t(ik);
      double stepFlops = 2 * am.executed * an.executed * ak.executed;
      double stepSram = am.executed * tk * p.ba +
                        am.executed * p.invMmaM * tk * an.executed * p.bb;
      double request;
      if (p.b >= p.a)
        request = p.b >= p.c ? ak.rowB : outRow;
      else
        request = p.a >= p.c ? ak.rowA : outRow;
      double stageBytes = am.fetched * tk * p.ba + tk * an.fetched * p.bb;
      double perCore = (double(r.stages) * stageBytes + storeBytes) *
                       p.invChannels / request;
      for (unsigned is = 0; is < numSplits; ++is) {
        double kSteps = sliceSteps[ik][is];
        Candidate &c = cands[n++];
        c.fixedTime = std::max(
            {wavesCeil[is] * kSteps * stepFlops * p.invCorePeak,
             wavesCeil[is] * kSteps * stepSram * p.invCoreSram, l2Time[is]});
        c.writeBytes = writeBytes[is];
        c.minDramBytes = minDramBytes[is];
        c.writeShare = writeShare[is];
        c.outstanding = std::max(1.0, busy[is] * perCore);
        c.request = request;
        c.index = uint16_t(numShapes * kNumSplits + is);
        c.done = false;
      }
      ++numShapes;
    }
  };
  for (unsigned im = 0; im < numM; ++im)
    for (unsigned in = 0; in < numN; ++in)
      addShapes(im, in);
  // A core too small for any candidate still runs the smallest tile (from
  // L2, slowly): the model answers rather than fails.
  if (n == 0) {
    Geometry g;
    geometry(p, ms[0], ns[0], ks[0], g);
    shapeAxes[0][0] = shapeAxes[0][1] = shapeAxes[0][2] = 0;
    numShapes = 1;
    double tiles = p.inst * g.gm * g.gn;
    for (unsigned is = 0; is < kNumSplits; ++is) {
      if (is > 0 && tiles * double(kSplits[is]) > r.cores)
        break;
      Plan q = plan(p, g, kSplits[is]);
      Candidate &c = cands[n++];
      c.fixedTime = std::max({q.computeTime, q.sramTime, q.l2Time});
      c.writeBytes = p.inst * p.c + q.spill / 2;
      c.minDramBytes = p.inst * (p.a + p.b) + c.writeBytes + q.spill / 2;
      c.writeShare = c.minDramBytes > 0 ? c.writeBytes / c.minDramBytes : 0.0;
      c.outstanding = q.outstanding;
      c.request = g.request;
      c.index = uint16_t(is);
      c.done = false;
    }
  }
  // The cheapest fixed time among the skipped tiles a candidate dominates:
  // the next size up along M and along N (fixed time grows with the tile
  // along each axis, so larger ones cost at least as much).
  auto shadowFixed = [&](uint16_t index) {
    const uint8_t *axes = shapeAxes[index / kNumSplits];
    unsigned im = axes[0], in = axes[1], ik = axes[2];
    int64_t split = kSplits[index % kNumSplits];
    double least = HUGE_VAL;
    auto consider = [&](unsigned jm, unsigned jn) {
      if (!p.fits(ms[jm].t, ns[jn].t, ks[ik].t))
        return;
      Geometry g;
      geometry(p, ms[jm], ns[jn], ks[ik], g);
      Plan q = plan(p, g, split);
      least = std::min(least, std::max({q.computeTime, q.sramTime, q.l2Time}));
    };
    if (im + 1 == numM && numM < kNumMN)
      consider(numM, in);
    if (in + 1 == numN && numN < kNumMN)
      consider(im, numN);
    return least;
  };
  auto exact = [&](uint16_t index, DramBandwidthFn memo) {
    const uint8_t *axes = shapeAxes[index / kNumSplits];
    Geometry g;
    geometry(p, ms[axes[0]], ns[axes[1]], ks[axes[2]], g);
    return complete(p, plan(p, g, kSplits[index % kNumSplits]), memo);
  };
  return bestFirst(cands, n, r, dram, exact, shadowFixed);
}
