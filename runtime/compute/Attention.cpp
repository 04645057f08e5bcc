//===- Attention.cpp - Fused (flash) attention on cores -------------------===//
//
// DESIGN.md 6.2: attention as FlashAttention runs it. The query heads that
// share a KV head are packed into the rows of one tile (GQA packing, as
// FlashDecoding, FlashInfer and FlashAttention-3 do), so each KV row is
// loaded once for all of them; a core takes a block of query rows and walks
// the keys in blocks, skipping blocks the causal mask hides. Decode (one
// query) is the same kernel with a single query block; when batch * KV
// heads cannot fill the cores, the context is split across cores
// (flash-decoding) and the partial results are merged.
//
//===----------------------------------------------------------------------===//
#include "runtime/compute/ComputeDetail.h"

using namespace ds;
using namespace ds::compute;
using namespace ds::compute::detail;

namespace {

/// Query rows per core: one or two 64-row warpgroups (FlashAttention-2/3).
constexpr int64_t kQueryBlocks[] = {64, 128};
/// Keys per step of the inner loop.
constexpr int64_t kKeyBlocks[] = {32, 64, 128};
constexpr unsigned kNumQ = sizeof(kQueryBlocks) / sizeof(kQueryBlocks[0]);
constexpr unsigned kNumKV = sizeof(kKeyBlocks) / sizeof(kKeyBlocks[0]);
/// Split partial outputs and their log-sum-exp are FP32.
constexpr double kPartialBytes = 4;

struct Problem {
  const ChipRates &r;
  double groups; ///< batch * KV heads: independent problems
  int64_t g;     ///< query heads per KV head
  int64_t q, ctx, d;
  int64_t rows; ///< g * q query rows packed per group
  bool causal;
  double bq, bkv;
  double flops;    ///< useful FLOPs
  double corePeak; ///< FLOP/s of one core, derated
  double dQK, dPV; ///< head dim padded to the mma depth (Q K^T reduces
                   ///< over it) and to mma.n (P V produces it)
  double qBytes;   ///< Q of all groups; O is as large
  double kvBytes;  ///< K and V of one group

  Problem(const ChipRates &r, const ChipIR &chip, const AttentionShape &s)
      : r(r) {
    assert(s.batch >= 1 && s.headsQ >= 1 && s.headsKV >= 1 && s.headDim >= 1 &&
           s.queries >= 1 && s.context >= 1 &&
           "attention dimensions must be positive");
    int64_t batch = std::max<int64_t>(1, s.batch);
    int64_t hq = std::max<int64_t>(1, s.headsQ);
    int64_t hkv = std::clamp<int64_t>(s.headsKV, 1, hq);
    d = std::max<int64_t>(1, s.headDim);
    q = std::max<int64_t>(1, s.queries);
    causal = s.causal;
    // A causal chunk attends to itself: the context includes its queries.
    ctx = std::max<int64_t>(causal ? q : 1, s.context);
    g = ceilDiv(hq, hkv);
    groups = double(batch) * double(hkv);
    rows = g * q;
    bq = dtypeBytes(s.act);
    bkv = dtypeBytes(s.kv);
    // Query i of a causal chunk (i = 0..q-1, the chunk ends the context)
    // sees ctx - q + i + 1 keys: q * ctx - q^2 / 2 pairs to first order,
    // s^2 / 2 for a prompt of s tokens (DESIGN.md 6.2: 2 hq d s^2 FLOPs).
    double pairs = double(q) * double(ctx);
    if (causal)
      pairs -= double(q) * double(q) / 2;
    flops = 4.0 * double(batch) * double(hq) * double(d) * pairs;
    // FP8 KV with BF16 queries is dequantized and multiplied in BF16.
    corePeak = peakFlops(chip, s.act, s.kv) * r.u / r.cores;
    dQK = double(roundUp(d, mmaDepth(r, s.act, s.kv)));
    dPV = double(roundUp(d, r.mmaN));
    qBytes = double(batch) * double(hq) * double(q) * double(d) * bq;
    // MLA caches one latent per token that serves as both K and V.
    kvBytes = (s.sharedKV ? 1.0 : 2.0) * double(ctx) * double(d) * bkv;
  }

  /// The resident Q block and pipelineStages K and V blocks fit SRAM (the
  /// scores stay in registers).
  bool fits(int64_t tq, int64_t tkv) const {
    return double(tq * d) * bq + double(r.stages) * 2 * double(tkv * d) * bkv <=
           r.sramPerCore;
  }
};

OpCost evaluate(const Problem &p, int64_t tq, int64_t tkv, DramBandwidthFn dram,
                Candidate *cand) {
  const ChipRates &r = p.r;
  OpCost c;
  c.flops = p.flops;
  int64_t nq = ceilDiv(p.rows, tq);
  double tqE = double(roundUp(std::min(tq, p.rows), r.mmaM));

  // Keys each group's query blocks visit. Rows are position-major, so block
  // j ends at position (j + 1) * tq / g of the chunk; only the last block
  // reaches the end of the context.
  double base = double(p.ctx - p.q), blockPos = double(tq) / double(p.g);
  double nqD = double(nq);
  double visited =
      p.causal ? (nqD - 1) * base + blockPos * (nqD - 1) * nqD / 2 + p.ctx
               : nqD * double(p.ctx);
  // Executed keys: whole key blocks; a diagonal block is computed in full
  // and masked (on average half a block over, except the exact last one).
  double tail = double(roundUp(p.ctx, tkv) - p.ctx);
  double execKeys = p.causal ? visited + (nqD - 1) * double(tkv) / 2 + tail
                             : nqD * double(roundUp(p.ctx, tkv));

  // Flash-decoding: when the query blocks cannot fill the cores, split the
  // context so they do, but never below one key block per split.
  double units = p.groups * nqD, split = 1;
  if (units < r.cores)
    split = std::max(1.0, std::min(std::floor(r.cores / units),
                                   double(ceilDiv(p.ctx, tkv))));
  double tiles = units * split;
  c.tile = {tq, tkv, p.d, int64_t(split)};
  c.waves = tiles / r.cores;
  // Causal blocks differ in length, so each core's share is the average
  // block, quantized to whole waves.
  double quant = std::ceil(c.waves) / c.waves;

  c.paddedFlops = p.groups * 2 * tqE * execKeys * (p.dQK + p.dPV);
  c.computeTime = timeAt(c.paddedFlops, p.corePeak * r.cores) * quant;
  // SRAM: per key block the MMAs read the Q block, and K and V once per
  // mma.m-row slab (each warpgroup's wgmma reads them for its 64 rows).
  double steps = execKeys / double(tkv);
  c.sramBytes = p.groups * steps *
                (tqE * double(p.d) * p.bq +
                 tqE / double(r.mmaM) * 2 * double(tkv) * double(p.d) * p.bkv);
  c.sramTime = timeAt(c.sramBytes, r.sramBandwidth) * quant;

  double partials = split > 1 ? p.groups * split * double(p.rows) *
                                    double(p.d + 1) * kPartialBytes
                              : 0.0;
  double spill = partials > r.l2 ? 2 * partials : 0.0;
  c.l2Bytes = 2 * p.qBytes + p.groups * p.kvBytes / double(p.ctx) * execKeys +
              2 * partials;
  c.l2Time = timeAt(c.l2Bytes, r.l2Bandwidth);

  // K and V from DRAM: once if the K/V of the groups in flight fit in L2;
  // otherwise once per set of query blocks of a group that run together
  // (the query block is the fastest grid index, so they are adjacent) and
  // walk the keys in step. Split decode runs every block at once.
  double P = std::min(r.cores, tiles);
  double live = std::clamp(std::ceil(P / nqD), 1.0, p.groups);
  double kv = p.kvBytes;
  if (split == 1 && live * p.kvBytes > r.l2)
    kv = std::max(p.kvBytes,
                  p.kvBytes / double(p.ctx) * visited / std::min(nqD, P));
  double writes = p.qBytes + spill / 2;
  c.dramBytes = 2 * p.qBytes + p.groups * kv + spill;

  c.pattern.kind = dram::PatternKind::Sequential;
  // One K or V row of one head is d contiguous elements (paged caches keep
  // a head's rows contiguous within a page), at least a sector.
  c.pattern.requestBytes = roundUp(double(p.d) * p.bkv, r.sector);
  c.pattern.writeFraction = c.dramBytes > 0 ? writes / c.dramBytes : 0;
  double inFlight =
      P * double(r.stages) * 2 * double(tkv) * double(p.d) * p.bkv;
  c.pattern.outstanding =
      std::max(1.0, inFlight / r.channels / c.pattern.requestBytes);

  if (cand) {
    cand->fixedTime = std::max({c.computeTime, c.sramTime, c.l2Time});
    cand->minDramBytes = 2 * p.qBytes + p.groups * p.kvBytes + spill;
    cand->writeBytes = writes;
    cand->writeShare =
        cand->minDramBytes > 0 ? writes / cand->minDramBytes : 0.0;
    cand->outstanding = c.pattern.outstanding;
    cand->request = c.pattern.requestBytes;
    cand->done = false;
    return c;
  }
  c.dramTime = timeAt(c.dramBytes, dram(c.pattern) * r.u);
  finish(c, r.launch);
  return c;
}

} // namespace

OpCost compute::attention(const ChipIR &chip, const AttentionShape &s,
                          DramBandwidthFn dram) {
  ChipRates r(chip);
  Problem p(r, chip, s);
  Candidate cands[kNumQ * kNumKV];
  static_assert(kNumQ * kNumKV <= kMaxCandidates,
                "the search's bound on candidates");
  unsigned n = 0;
  for (unsigned iq = 0; iq < kNumQ; ++iq)
    for (unsigned ik = 0; ik < kNumKV; ++ik) {
      if (!p.fits(kQueryBlocks[iq], kKeyBlocks[ik]))
        continue;
      cands[n].index = uint16_t(iq * kNumKV + ik);
      evaluate(p, kQueryBlocks[iq], kKeyBlocks[ik], dram, &cands[n]);
      ++n;
    }
  // Nothing fits (a huge head dimension on a small core): run the smallest
  // blocks anyway rather than fail.
  if (n == 0) {
    cands[0].index = 0;
    evaluate(p, kQueryBlocks[0], kKeyBlocks[0], dram, &cands[0]);
    n = 1;
  }
  return bestFirst(
      cands, n, r, dram,
      [&](uint16_t index, DramBandwidthFn memo) {
        return evaluate(p, kQueryBlocks[index / kNumKV],
                        kKeyBlocks[index % kNumKV], memo, nullptr);
      },
      [](uint16_t) { return HUGE_VAL; });
}
