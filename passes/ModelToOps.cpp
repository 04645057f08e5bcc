//===- ModelToOps.cpp - A transformer step as operators -------------------===//
//
// Shapes for T = sequences * queryTokens tokens, hidden H, q heads hq, KV
// heads hkv, head dim d, activations a bytes (weights w bytes):
//   norm        vector, 2*T*H*a bytes, 4*T*H FLOPs
//   qkv         GEMM T x (hq + 2*hkv)*d x H          (MLA: q and kv latents)
//   attention   decode: one query per sequence against `context` keys;
//               prefill: causal over the prompt
//   o_proj      GEMM T x H x hq*d
//   residual    vector, 3*T*H*a bytes, T*H FLOPs
//   mlp         SwiGLU: GEMM T x 2*ffn x H, act 3*T*ffn*a bytes, GEMM T x H x ffn
//   moe         router T x E x H; E experts of expert_ffn with T*top_k token
//               slots; shared experts as a dense MLP of shared*expert_ffn
//   embedding   gather of T*H*a; head: norm + GEMM (sequences) x vocab x H
//
//===----------------------------------------------------------------------===//
#include "passes/ModelToOps.h"

#include <cmath>

using namespace ds;

namespace {
struct Builder {
  const ModelIR &m;
  const StepShape &s;
  OpGraph &g;
  double tokens;

  Op &add(const char *name, OpKind kind, OpRole role, OpClass cls,
          double count) {
    Op op;
    op.name = name;
    op.kind = kind;
    op.role = role;
    op.cls = cls;
    op.count = count;
    g.ops.push_back(std::move(op));
    return g.ops.back();
  }

  Op &gemm(const char *name, OpRole role, OpClass cls, double count,
           int64_t mRows, int64_t n, int64_t k, int64_t batch = 1) {
    Op &op = add(name, OpKind::Gemm, role, cls, count);
    op.gemm.m = std::max<int64_t>(1, mRows);
    op.gemm.n = n;
    op.gemm.k = k;
    op.gemm.batch = batch;
    op.gemm.a = m.activations;
    op.gemm.b = m.weights;
    op.gemm.out = m.activations;
    op.weightBytes = double(n) * double(k) * double(batch) * dtypeBytes(m.weights);
    return op;
  }

  Op &vector(const char *name, OpRole role, OpClass cls, double count,
             double bytes, double flops) {
    Op &op = add(name, OpKind::Vector, role, cls, count);
    op.vectorBytes = bytes;
    op.vectorFlops = flops;
    return op;
  }
};
} // namespace

OpGraph ds::modelToOps(const ModelIR &m, const StepShape &s) {
  OpGraph g;
  g.phase = s.phase;
  g.sequences = s.sequences;
  g.tokens = s.sequences * s.queryTokens;
  g.context = s.context;
  g.ops.reserve(32); // a layer's operators and the collectives added later
  Builder b{m, s, g, g.tokens};
  int64_t T = int64_t(std::ceil(g.tokens));
  double a = dtypeBytes(m.activations), H = double(m.hidden);
  double L = double(m.layers);
  double moeLayers = m.experts > 0 ? double(m.layers - m.denseLayers) : 0;
  double denseLayers = L - moeLayers;
  bool mla = m.kvRank > 0;

  b.vector("embedding", OpRole::Embedding, OpClass::Embedding, 1,
           2 * T * H * a, 0);
  b.vector("attn.norm", OpRole::Norm, OpClass::Norm, L, 2 * T * H * a,
           4 * T * H);
  if (mla) {
    // DeepSeek-V3: q through a rank-q latent, K/V through a rank-kv latent
    // plus a shared RoPE key; absorbed, attention runs over the latent.
    int64_t qOut = m.heads * (m.headDim + m.ropeDim);
    if (m.qRank > 0) {
      b.gemm("q.down", OpRole::Qkv, OpClass::Attention, L, T, m.qRank, m.hidden);
      b.gemm("q.up", OpRole::Qkv, OpClass::Attention, L, T, qOut, m.qRank);
    } else {
      b.gemm("q", OpRole::Qkv, OpClass::Attention, L, T, qOut, m.hidden);
    }
    b.gemm("kv.down", OpRole::Qkv, OpClass::Attention, L, T,
           m.kvRank + m.ropeDim, m.hidden);
  } else {
    b.gemm("qkv", OpRole::Qkv, OpClass::Attention, L, T,
           (m.heads + 2 * m.kvHeads) * m.headDim, m.hidden);
  }
  // RoPE on q and k, and the new K/V appended to the cache (real traffic:
  // read q, k, v; write the rotated q and the cache entries).
  double kvWidth = mla ? double(m.kvRank + m.ropeDim)
                       : 2.0 * double(m.kvHeads * m.headDim);
  double qWidth = double(m.heads * (mla ? m.headDim + m.ropeDim : m.headDim));
  b.vector("rope", OpRole::Rope, OpClass::Attention, L,
           2 * T * (qWidth + kvWidth / 2) * a, 6 * T * (qWidth + kvWidth / 2));
  b.vector("kv.write", OpRole::KvWrite, OpClass::Attention, L,
           2 * T * kvWidth * dtypeBytes(m.kvCache), 0);
  if (mla) // absorbed W_UK: each head's nope query into the latent space
    b.gemm("q.absorb", OpRole::MlaAbsorb, OpClass::Attention, L, T, m.kvRank,
           m.headDim, m.heads);
  Op &attn = b.add("attention", OpKind::Attention, OpRole::Attention,
                   OpClass::Attention, L);
  attn.attn.batch = int64_t(std::ceil(s.sequences));
  attn.attn.headsQ = m.heads;
  attn.attn.headsKV = mla ? 1 : m.kvHeads;
  attn.attn.headDim = mla ? m.kvRank + m.ropeDim : m.headDim;
  attn.attn.queries = int64_t(std::ceil(s.queryTokens));
  attn.attn.context = s.context;
  attn.attn.causal = s.phase == Phase::Prefill;
  attn.attn.sharedKV = mla;
  attn.attn.act = m.activations;
  attn.attn.kv = m.kvCache;
  if (mla) // absorbed W_UV: each head's latent output to its value dim
    b.gemm("v.up", OpRole::MlaAbsorb, OpClass::Attention, L, T, m.headDim,
           m.kvRank, m.heads);
  b.gemm("o_proj", OpRole::OProj, OpClass::Attention, L, T, m.hidden,
         m.heads * m.headDim);
  b.vector("residual", OpRole::Residual, OpClass::Norm, 2 * L, 3 * T * H * a,
           T * H);
  b.vector("mlp.norm", OpRole::Norm, OpClass::Norm, L, 2 * T * H * a,
           4 * T * H);
  if (denseLayers > 0 && m.ffn > 0) {
    b.gemm("mlp.up", OpRole::MlpUp, OpClass::Mlp, denseLayers, T, 2 * m.ffn,
           m.hidden);
    b.vector("mlp.act", OpRole::MlpAct, OpClass::Mlp, denseLayers,
             3 * T * double(m.ffn) * a, 4 * T * double(m.ffn));
    b.gemm("mlp.down", OpRole::MlpDown, OpClass::Mlp, denseLayers, T, m.hidden,
           m.ffn);
  }
  if (moeLayers > 0) {
    b.gemm("moe.router", OpRole::Router, OpClass::Moe, moeLayers, T, m.experts,
           m.hidden);
    // Top-k selection over the router's logits, then the tokens sorted by
    // expert (and, after the experts, weighted and summed back): kernels
    // of their own in every MoE implementation.
    b.vector("moe.topk", OpRole::Router, OpClass::Moe, moeLayers,
             T * double(m.experts) * 4 + T * double(m.topK) * 8,
             T * double(m.experts) * 4);
    b.vector("moe.permute", OpRole::ExpertsAct, OpClass::Moe, moeLayers,
             2 * T * double(m.topK) * H * a, 0);
    // Unpartitioned: every expert on one device, T * top_k token slots
    // spread over them (partition applies EP and the imbalance).
    int64_t perExpert = std::max<int64_t>(
        1, int64_t(std::ceil(double(T) * double(m.topK) / double(m.experts))));
    b.gemm("moe.up", OpRole::ExpertsUp, OpClass::Moe, moeLayers, perExpert,
           2 * m.expertFfn, m.hidden, m.experts);
    b.vector("moe.act", OpRole::ExpertsAct, OpClass::Moe, moeLayers,
             3 * T * double(m.topK * m.expertFfn) * a,
             4 * T * double(m.topK * m.expertFfn));
    b.gemm("moe.down", OpRole::ExpertsDown, OpClass::Moe, moeLayers, perExpert,
           m.hidden, m.expertFfn, m.experts);
    b.vector("moe.combine", OpRole::ExpertsAct, OpClass::Moe, moeLayers,
             (T * double(m.topK) + T) * H * a, 2 * T * double(m.topK) * H);
    if (m.sharedExperts > 0) {
      int64_t f = m.sharedExperts * m.expertFfn;
      b.gemm("moe.shared.up", OpRole::SharedUp, OpClass::Moe, moeLayers, T,
             2 * f, m.hidden);
      b.gemm("moe.shared.down", OpRole::SharedDown, OpClass::Moe, moeLayers, T,
             m.hidden, f);
    }
  }
  b.vector("final.norm", OpRole::Norm, OpClass::Head, 1, 2 * T * H * a,
           4 * T * H);
  // Logits only for the last token of each sequence.
  b.gemm("lm_head", OpRole::Head, OpClass::Head, 1,
         int64_t(std::ceil(s.sequences)), m.vocab, m.hidden);
  return g;
}

double ds::modelWeightBytes(const ModelIR &m) {
  double w = dtypeBytes(m.weights), H = double(m.hidden);
  double moeLayers = m.experts > 0 ? double(m.layers - m.denseLayers) : 0;
  double denseLayers = double(m.layers) - moeLayers;
  double attn;
  if (m.kvRank > 0) {
    double qOut = double(m.heads * (m.headDim + m.ropeDim));
    attn = (m.qRank > 0 ? double(m.qRank) * (H + qOut) : H * qOut) +
           H * double(m.kvRank + m.ropeDim) +
           // K and V up-projections of the latent (absorbed at run time)
           double(m.kvRank) * double(m.heads) * 2 * double(m.headDim) +
           double(m.heads * m.headDim) * H;
  } else {
    attn = H * double((m.heads + 2 * m.kvHeads) * m.headDim) +
           double(m.heads * m.headDim) * H;
  }
  double mlp = 3 * H * double(m.ffn);
  double moe = H * double(m.experts) +
               3 * H * double(m.expertFfn) * double(m.experts + m.sharedExperts);
  double embed = double(m.vocab) * H * (m.tieEmbeddings == Bool::True ? 1 : 2);
  return w * (double(m.layers) * attn + denseLayers * mlp + moeLayers * moe +
              embed);
}

double ds::kvValuesPerTokenLayer(const ModelIR &m, int64_t tp) {
  if (m.kvRank > 0)
    return double(m.kvRank + m.ropeDim);
  return 2.0 * double(std::max<int64_t>(1, m.kvHeads / tp) * m.headDim);
}

double ds::kvBytesPerToken(const ModelIR &m) {
  return kvValuesPerTokenLayer(m, 1) * double(m.layers) *
         dtypeBytes(m.kvCache);
}
