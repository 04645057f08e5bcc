//===- PassesTest.cpp - model-to-ops, partition, scheduling, evaluate -----===//
//
// Expected values are computed by hand in the comments (DESIGN.md 6.5-6.6,
// passes/ModelToOps.cpp, passes/Partition.cpp, passes/Evaluate.cpp). The
// models are small enough that every shape, FLOP count and byte count can be
// checked with pencil and paper.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "passes/Evaluate.h"
#include "passes/ModelToOps.h"
#include "passes/OverlapScheduling.h"
#include "passes/ParallelLayout.h"
#include "passes/Partition.h"
#include "passes/Tiling.h"
#include "runtime/network/Fabric.h"
#include "runtime/network/NetworkModel.h"

#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <gtest/gtest.h>

using namespace ds;

namespace {
/// Compiles \p text in memory (imports resolve against lib/).
struct Compiled {
  explicit Compiled(const std::string &text,
                    std::vector<std::string> settings = {}) {
    FrontendOptions o;
    o.settings = std::move(settings);
    comp = std::make_unique<Compilation>(o, errs);
    ok = comp->runBuffer(text, "passes.ds");
  }
  const ModelIR &model(llvm::StringRef name) const {
    for (const ModelIR &m : comp->module()->models)
      if (m.name == name)
        return m;
    ADD_FAILURE() << "no model " << name.str();
    return comp->module()->models.front();
  }
  const DesignIR &design(llvm::StringRef name = "d") const {
    const DesignIR *d = comp->module()->findDesign(name);
    EXPECT_NE(d, nullptr) << "no design " << name.str();
    return *d;
  }
  std::string errorsText;
  llvm::raw_string_ostream errs{errorsText};
  std::unique_ptr<Compilation> comp;
  bool ok = false;
};

// Tiny dense model: H = 64, hq = 4, hkv = 2, d = 16, ffn = 128, vocab 100,
// all bf16 (2 B), untied embeddings.
const char *kTinyModel =
    "model tiny { layers = 2; hidden = 64; heads = 4; kv_heads = 2; "
    "head_dim = 16; ffn = 128; vocab = 100; max_context = 64; }\n";
// Tiny MoE model: the same attention, 8 experts of width 32, top 2, no
// dense MLP.
const char *kTinyMoe =
    "model tinymoe { layers = 2; hidden = 64; heads = 4; kv_heads = 2; "
    "head_dim = 16; ffn = 0; vocab = 100; max_context = 64; "
    "moe { experts = 8; top_k = 2; expert_ffn = 32; } }\n";

/// A design of \p model on \p devices H100s under one switch.
std::string design(const char *model, const char *modelName, int devices,
                   const std::string &schedule,
                   const std::string &workload =
                       "phase = decode; batch = 4; prompt = 8; generate = 8;") {
  return std::string("import \"chips/h100.ds\";\n") + model +
         "network n { level b = switch(" + std::to_string(devices) +
         ") { link = 450 GB/s; latency = 0.5 us; } }\n"
         "system y { chip = h100; network = n; }\n"
         "workload w { model = " +
         modelName + "; " + workload +
         " }\n"
         "schedule s { " +
         schedule +
         " }\n"
         "design d { system = y; workload = w; schedule = s; }\n";
}

const Op &op(const OpGraph &g, llvm::StringRef name) {
  for (const Op &o : g.ops)
    if (o.name == name)
      return o;
  ADD_FAILURE() << "no operator " << name.str();
  static Op none;
  return none;
}

int indexOf(const OpGraph &g, llvm::StringRef name) {
  for (size_t i = 0; i < g.ops.size(); ++i)
    if (g.ops[i].name == name)
      return int(i);
  return -1;
}

std::vector<const Op *> collectives(const OpGraph &g) {
  std::vector<const Op *> out;
  for (const Op &o : g.ops)
    if (o.kind == OpKind::Collective)
      out.push_back(&o);
  return out;
}

StepShape decode(double sequences, int64_t context) {
  StepShape s;
  s.phase = Phase::Decode;
  s.sequences = sequences;
  s.queryTokens = 1;
  s.context = context;
  return s;
}

StepShape prefill(double sequences, int64_t prompt) {
  StepShape s;
  s.phase = Phase::Prefill;
  s.sequences = sequences;
  s.queryTokens = double(prompt);
  s.context = prompt;
  return s;
}

void expectGemm(const Op &o, int64_t m, int64_t n, int64_t k,
                int64_t batch = 1) {
  EXPECT_EQ(o.kind, OpKind::Gemm) << o.name;
  EXPECT_EQ(o.gemm.m, m) << o.name;
  EXPECT_EQ(o.gemm.n, n) << o.name;
  EXPECT_EQ(o.gemm.k, k) << o.name;
  EXPECT_EQ(o.gemm.batch, batch) << o.name;
}
} // namespace

//===----------------------------------------------------------------------===//
// model-to-ops
//===----------------------------------------------------------------------===//

TEST(ModelToOps, DenseDecodeShapesFlopsAndCounts) {
  Compiled c(design(kTinyModel, "tiny", 1, "tp = 1;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  // 3 sequences, one new token each: T = 3; context 10.
  OpGraph g = modelToOps(c.model("tiny"), decode(3, 10));
  EXPECT_EQ(g.phase, Phase::Decode);
  EXPECT_DOUBLE_EQ(g.tokens, 3);
  EXPECT_DOUBLE_EQ(g.sequences, 3);
  EXPECT_EQ(g.context, 10);

  // embedding: gather of 2*T*H*a = 2*3*64*2 = 768 B, once per step.
  const Op &emb = op(g, "embedding");
  EXPECT_EQ(emb.kind, OpKind::Vector);
  EXPECT_DOUBLE_EQ(emb.count, 1);
  EXPECT_DOUBLE_EQ(emb.vectorBytes, 768);

  // attn.norm: per layer (count 2), 768 B, 4*T*H = 4*3*64 = 768 FLOPs.
  const Op &norm = op(g, "attn.norm");
  EXPECT_DOUBLE_EQ(norm.count, 2);
  EXPECT_DOUBLE_EQ(norm.vectorBytes, 768);
  EXPECT_DOUBLE_EQ(norm.flops(), 768);

  // qkv: T x (hq + 2 hkv) d x H = 3 x (4 + 4)*16 x 64 = 3 x 128 x 64;
  // 2*3*128*64 = 49152 FLOPs; weights 128*64*2 B = 16384 B.
  const Op &qkv = op(g, "qkv");
  expectGemm(qkv, 3, 128, 64);
  EXPECT_DOUBLE_EQ(qkv.count, 2);
  EXPECT_DOUBLE_EQ(qkv.flops(), 49152);
  EXPECT_DOUBLE_EQ(qkv.weightBytes, 16384);

  // attention: 3 sequences x 1 query against 10 keys, not causal;
  // 4*hq*d*q*ctx*batch = 4*4*16*10*3 = 7680 FLOPs.
  const Op &att = op(g, "attention");
  EXPECT_EQ(att.kind, OpKind::Attention);
  EXPECT_DOUBLE_EQ(att.count, 2);
  EXPECT_EQ(att.attn.batch, 3);
  EXPECT_EQ(att.attn.headsQ, 4);
  EXPECT_EQ(att.attn.headsKV, 2);
  EXPECT_EQ(att.attn.headDim, 16);
  EXPECT_EQ(att.attn.queries, 1);
  EXPECT_EQ(att.attn.context, 10);
  EXPECT_FALSE(att.attn.causal);
  EXPECT_DOUBLE_EQ(att.flops(), 7680);

  // o_proj: 3 x H x hq*d = 3 x 64 x 64: 2*3*64*64 = 24576; 64*64*2 = 8192 B.
  const Op &o = op(g, "o_proj");
  expectGemm(o, 3, 64, 64);
  EXPECT_DOUBLE_EQ(o.flops(), 24576);
  EXPECT_DOUBLE_EQ(o.weightBytes, 8192);

  // residual: twice per layer (count 4), 3*T*H*a = 3*3*64*2 = 1152 B,
  // T*H = 192 FLOPs.
  const Op &res = op(g, "residual");
  EXPECT_DOUBLE_EQ(res.count, 4);
  EXPECT_DOUBLE_EQ(res.vectorBytes, 1152);
  EXPECT_DOUBLE_EQ(res.flops(), 192);

  // SwiGLU: up 3 x 2*128 x 64 = 98304 FLOPs, 256*64*2 = 32768 B;
  // act 3*T*ffn*a = 3*3*128*2 = 2304 B, 4*3*128 = 1536 FLOPs;
  // down 3 x 64 x 128 = 49152 FLOPs, 16384 B.
  const Op &up = op(g, "mlp.up");
  expectGemm(up, 3, 256, 64);
  EXPECT_DOUBLE_EQ(up.count, 2);
  EXPECT_DOUBLE_EQ(up.flops(), 98304);
  EXPECT_DOUBLE_EQ(up.weightBytes, 32768);
  const Op &act = op(g, "mlp.act");
  EXPECT_DOUBLE_EQ(act.vectorBytes, 2304);
  EXPECT_DOUBLE_EQ(act.flops(), 1536);
  const Op &down = op(g, "mlp.down");
  expectGemm(down, 3, 64, 128);
  EXPECT_DOUBLE_EQ(down.flops(), 49152);
  EXPECT_DOUBLE_EQ(down.weightBytes, 16384);

  // Head: final norm once (768 B) and logits for the last token of each of
  // the 3 sequences: 3 x 100 x 64, 2*3*100*64 = 38400 FLOPs, 12800 B.
  const Op &fn = op(g, "final.norm");
  EXPECT_DOUBLE_EQ(fn.count, 1);
  EXPECT_EQ(fn.cls, OpClass::Head);
  const Op &head = op(g, "lm_head");
  expectGemm(head, 3, 100, 64);
  EXPECT_DOUBLE_EQ(head.count, 1);
  EXPECT_DOUBLE_EQ(head.flops(), 38400);
  EXPECT_DOUBLE_EQ(head.weightBytes, 12800);

  // Unpartitioned: no collectives, no MoE operators.
  EXPECT_TRUE(collectives(g).empty());
  EXPECT_EQ(indexOf(g, "moe.router"), -1);
}

TEST(ModelToOps, PrefillIsCausalOverThePrompt) {
  Compiled c(design(kTinyModel, "tiny", 1, "tp = 1;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  // 2 sequences of an 8-token prompt: T = 16.
  OpGraph g = modelToOps(c.model("tiny"), prefill(2, 8));
  EXPECT_EQ(g.phase, Phase::Prefill);
  EXPECT_DOUBLE_EQ(g.tokens, 16);
  // qkv 16 x 128 x 64: 2*16*128*64 = 262144 FLOPs.
  const Op &qkv = op(g, "qkv");
  expectGemm(qkv, 16, 128, 64);
  EXPECT_DOUBLE_EQ(qkv.flops(), 262144);
  // Causal: q*ctx - q^2/2 = 64 - 32 = 32 pairs per sequence (per head);
  // 4*hq*d*32*batch = 4*4*16*32*2 = 16384 FLOPs, half of the 32768 a full
  // 8 x 8 score matrix would cost.
  const Op &att = op(g, "attention");
  EXPECT_TRUE(att.attn.causal);
  EXPECT_EQ(att.attn.batch, 2);
  EXPECT_EQ(att.attn.queries, 8);
  EXPECT_EQ(att.attn.context, 8);
  EXPECT_DOUBLE_EQ(att.flops(), 16384);
  Op full = att;
  full.attn.causal = false;
  EXPECT_DOUBLE_EQ(full.flops(), 32768);
  // mlp.up 16 x 256 x 64 = 2*16*256*64 = 524288 FLOPs.
  EXPECT_DOUBLE_EQ(op(g, "mlp.up").flops(), 524288);
  // The head only computes the last token of each sequence: 2 x 100 x 64.
  expectGemm(op(g, "lm_head"), 2, 100, 64);
  // Norms stream 2*T*H*a = 2*16*64*2 = 4096 B.
  EXPECT_DOUBLE_EQ(op(g, "attn.norm").vectorBytes, 4096);
}

TEST(ModelToOps, WeightAndKvBytesByHand) {
  Compiled c(design(kTinyModel, "tiny", 1, "tp = 1;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  const ModelIR &m = c.model("tiny");
  // Per layer: attention H*(hq + 2 hkv)*d + hq*d*H = 64*128 + 64*64 = 12288,
  // MLP 3*H*ffn = 3*64*128 = 24576; embedding and head 2*vocab*H = 12800.
  // 2 B * (2*12288 + 2*24576 + 12800) = 2 * 86528 = 173056 B.
  EXPECT_DOUBLE_EQ(modelWeightBytes(m), 173056);
  // KV per token: 2 (K and V) * hkv * d * layers * b = 2*2*16*2*2 = 256 B.
  EXPECT_DOUBLE_EQ(kvBytesPerToken(m), 256);
  // The graph's GEMM weights sum to the same total minus the input
  // embedding (a gather, not a GEMM): 173056 - 100*64*2 = 160256.
  OpGraph g = modelToOps(m, decode(1, 1));
  double w = 0;
  for (const Op &o : g.ops)
    w += o.weightBytes * o.count;
  EXPECT_DOUBLE_EQ(w, 160256);
}

TEST(ModelToOps, MoeExpertsAndWeights) {
  Compiled c(design(kTinyMoe, "tinymoe", 1, "tp = 1;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  const ModelIR &m = c.model("tinymoe");
  OpGraph g = modelToOps(m, decode(3, 10));
  // No dense MLP (ffn = 0).
  EXPECT_EQ(indexOf(g, "mlp.up"), -1);
  // router T x E x H = 3 x 8 x 64.
  expectGemm(op(g, "moe.router"), 3, 8, 64);
  // Unpartitioned: T*top_k = 6 slots over 8 experts: ceil(6/8) = 1 row per
  // expert, batched over all 8 experts; up 1 x 2*32 x 64, down 1 x 64 x 32.
  const Op &up = op(g, "moe.up");
  expectGemm(up, 1, 64, 64, 8);
  EXPECT_DOUBLE_EQ(up.count, 2);
  // Weights of all 8 experts: 64*64*8*2 = 65536 B.
  EXPECT_DOUBLE_EQ(up.weightBytes, 65536);
  expectGemm(op(g, "moe.down"), 1, 64, 32, 8);
  // Per MoE layer: router H*E = 512, experts 3*H*F*E = 3*64*32*8 = 49152;
  // attention 12288; embedding + head 12800.
  // 2 B * (2*12288 + 2*(512 + 49152) + 12800) = 2 * 136704 = 273408 B.
  EXPECT_DOUBLE_EQ(modelWeightBytes(m), 273408);
}

//===----------------------------------------------------------------------===//
// ParallelLayout
//===----------------------------------------------------------------------===//

TEST(ParallelLayout, StridesInnermostFirst) {
  Compiled c(design(kTinyModel, "tiny", 16, "tp = 4; dp = 2; pp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  ParallelLayout l = ParallelLayout::of(*c.design().schedule);
  // Order TP, SP, CP, DP, PP: strides 1, 4, 4, 4, 8; EP reuses the first
  // ranks of a stage (stride 1).
  EXPECT_EQ(l.stride[unsigned(ParallelDim::TP)], 1);
  EXPECT_EQ(l.stride[unsigned(ParallelDim::SP)], 4);
  EXPECT_EQ(l.stride[unsigned(ParallelDim::CP)], 4);
  EXPECT_EQ(l.stride[unsigned(ParallelDim::DP)], 4);
  EXPECT_EQ(l.stride[unsigned(ParallelDim::PP)], 8);
  EXPECT_EQ(l.stride[unsigned(ParallelDim::EP)], 1);
  // 4 * 2 * 2 = 16 ranks, 8 per stage.
  EXPECT_EQ(l.ranks, 16);
  EXPECT_EQ(l.stageRanks, 8);
  EXPECT_EQ(l.describe(), "tp 4 x sp 1 x cp 1 x dp 2 x pp 2 = 16");
  ParallelDim d;
  EXPECT_TRUE(parseParallelDim("cp", d));
  EXPECT_EQ(d, ParallelDim::CP);
  EXPECT_FALSE(parseParallelDim("xp", d));
}

//===----------------------------------------------------------------------===//
// partition
//===----------------------------------------------------------------------===//

namespace {
OpGraph partitioned(const Compiled &c, const char *model, StepShape shape) {
  const DesignIR &d = c.design();
  OpGraph g = modelToOps(c.model(model), shape);
  partition(d, ParallelLayout::of(*d.schedule), g);
  return g;
}
} // namespace

TEST(Partition, TensorParallelTwoSplitsHeadsMlpAndVocab) {
  Compiled c(design(kTinyModel, "tiny", 2, "tp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tiny", decode(3, 10));
  // qkv: (hq/tp + 2 * hkv/tp) * d = (2 + 2*1) * 16 = 64 columns;
  // weights 64*64*2 = 8192 B (half of 16384).
  const Op &qkv = op(g, "qkv");
  expectGemm(qkv, 3, 64, 64);
  EXPECT_DOUBLE_EQ(qkv.weightBytes, 8192);
  // Attention: 2 query heads and 1 KV head per device.
  const Op &att = op(g, "attention");
  EXPECT_EQ(att.attn.headsQ, 2);
  EXPECT_EQ(att.attn.headsKV, 1);
  EXPECT_EQ(att.attn.context, 10);
  // 4*2*16*10*3 = 3840 FLOPs: half of 7680.
  EXPECT_DOUBLE_EQ(att.flops(), 3840);
  // o_proj: K = hq*d/tp = 32; 64*32*2 = 4096 B.
  const Op &o = op(g, "o_proj");
  expectGemm(o, 3, 64, 32);
  EXPECT_DOUBLE_EQ(o.weightBytes, 4096);
  // MLP: up N = 256/2 = 128, down K = 128/2 = 64; act 2304/2 = 1152 B.
  expectGemm(op(g, "mlp.up"), 3, 128, 64);
  EXPECT_DOUBLE_EQ(op(g, "mlp.up").weightBytes, 16384);
  expectGemm(op(g, "mlp.down"), 3, 64, 64);
  EXPECT_DOUBLE_EQ(op(g, "mlp.act").vectorBytes, 1152);
  // LM head: vocab 100/2 = 50 columns, 50*64*2 = 6400 B.
  expectGemm(op(g, "lm_head"), 3, 50, 64);
  EXPECT_DOUBLE_EQ(op(g, "lm_head").weightBytes, 6400);
  // Norms are replicated: still 768 B.
  EXPECT_DOUBLE_EQ(op(g, "attn.norm").vectorBytes, 768);
  // pp = 1: counts unchanged.
  EXPECT_DOUBLE_EQ(qkv.count, 2);

  // Two TP all-reduces per layer of T*H*a = 3*64*2 = 384 B, count = 2
  // layers, each after the operator it drains.
  auto comms = collectives(g);
  ASSERT_EQ(comms.size(), 2u);
  for (const Op *k : comms) {
    EXPECT_EQ(k->comm.dim, ParallelDim::TP);
    EXPECT_EQ(k->comm.collective, net::Collective::AllReduce);
    EXPECT_DOUBLE_EQ(k->comm.bytes, 384);
    EXPECT_DOUBLE_EQ(k->count, 2);
    EXPECT_EQ(k->cls, OpClass::Network);
  }
  EXPECT_EQ(comms[0]->comm.what, "attention output");
  EXPECT_EQ(comms[0]->overlapsWith, indexOf(g, "o_proj"));
  EXPECT_EQ(comms[1]->comm.what, "MLP output");
  EXPECT_EQ(comms[1]->overlapsWith, indexOf(g, "mlp.down"));
}

TEST(Partition, TensorParallelBeyondKvHeadsReplicatesThem) {
  Compiled c(design(kTinyModel, "tiny", 4, "tp = 4;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tiny", decode(3, 10));
  // tp 4 > hkv 2: hkv local = max(1, 2/4) = 1 (each KV head on 2 devices).
  // qkv N = (4/4 + 2*1) * 16 = 48, not (1 + 0)*16.
  expectGemm(op(g, "qkv"), 3, 48, 64);
  EXPECT_DOUBLE_EQ(op(g, "qkv").weightBytes, 48 * 64 * 2);
  EXPECT_EQ(op(g, "attention").attn.headsQ, 1);
  EXPECT_EQ(op(g, "attention").attn.headsKV, 1);
  // o_proj K = 64/4 = 16; vocab ceil(100/4) = 25.
  expectGemm(op(g, "o_proj"), 3, 64, 16);
  expectGemm(op(g, "lm_head"), 3, 25, 64);
}

TEST(Partition, KvWriteAndRopeFollowTheLocalHeads) {
  // The new K/V entries written per device follow the local KV heads:
  // kv.write = 2*T*(2*hkv*d)*b_kv = 2*3*64*2 = 768 B unpartitioned.
  // RoPE reads and writes q (hq*d = 64 wide) and k (hkv*d = 32 wide):
  // 2*T*(64 + 32)*a = 2*3*96*2 = 1152 B unpartitioned.
  {
    Compiled c(design(kTinyModel, "tiny", 2, "tp = 2;"));
    ASSERT_TRUE(c.ok) << c.errorsText;
    OpGraph g = partitioned(c, "tiny", decode(3, 10));
    // tp 2: 1 of 2 KV heads, 2 of 4 q heads: both halve.
    EXPECT_DOUBLE_EQ(op(g, "kv.write").vectorBytes, 384);
    EXPECT_DOUBLE_EQ(op(g, "rope").vectorBytes, 576);
  }
  {
    Compiled c(design(kTinyModel, "tiny", 4, "tp = 4;"));
    ASSERT_TRUE(c.ok) << c.errorsText;
    OpGraph g = partitioned(c, "tiny", decode(3, 10));
    // tp 4: 1 KV head (replicated) of 2: kv.write 768/2 = 384 B.
    EXPECT_DOUBLE_EQ(op(g, "kv.write").vectorBytes, 384);
    // RoPE: q 64/4 = 16 wide, k 1*16 = 16 wide: 2*3*(16 + 16)*2 = 384 B
    // (1/3 of 1152, since q and k have different widths and shrink by
    // different factors).
    EXPECT_DOUBLE_EQ(op(g, "rope").vectorBytes, 384);
  }
}

TEST(Partition, PipelineHalvesLayerCountsAndSendsActivations) {
  Compiled c(design(kTinyModel, "tiny", 2, "pp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tiny", decode(3, 10));
  // ceil(2 layers / 2 stages) = 1 layer per stage.
  EXPECT_DOUBLE_EQ(op(g, "qkv").count, 1);
  EXPECT_DOUBLE_EQ(op(g, "attention").count, 1);
  EXPECT_DOUBLE_EQ(op(g, "mlp.down").count, 1);
  EXPECT_DOUBLE_EQ(op(g, "residual").count, 2);
  // Shapes untouched.
  expectGemm(op(g, "qkv"), 3, 128, 64);
  // Embedding and head: once.
  EXPECT_DOUBLE_EQ(op(g, "embedding").count, 1);
  EXPECT_DOUBLE_EQ(op(g, "lm_head").count, 1);
  // One send/recv of T*H*a = 3*64*2 = 384 B to the next stage per step.
  auto comms = collectives(g);
  ASSERT_EQ(comms.size(), 1u);
  EXPECT_EQ(comms[0]->comm.dim, ParallelDim::PP);
  EXPECT_EQ(comms[0]->comm.collective, net::Collective::SendRecv);
  EXPECT_DOUBLE_EQ(comms[0]->comm.bytes, 384);
  EXPECT_DOUBLE_EQ(comms[0]->count, 1);
  EXPECT_EQ(comms[0]->overlapsWith, -1);
}

TEST(Partition, FinalNormGoesWithTheHead) {
  // The final norm runs once, right before the LM head: pipeline stages
  // must not scale it like a per-layer operator (lm_head keeps count 1).
  Compiled c(design(kTinyModel, "tiny", 2, "pp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tiny", decode(3, 10));
  EXPECT_DOUBLE_EQ(op(g, "final.norm").count, op(g, "lm_head").count);
}

TEST(Partition, ContextParallelSplitsTheKeys) {
  Compiled c(design(kTinyModel, "tiny", 2, "cp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tiny", decode(3, 10));
  // Decode: 10 keys over 2 ranks = 5 each; one query per sequence.
  const Op &att = op(g, "attention");
  EXPECT_EQ(att.attn.context, 5);
  EXPECT_EQ(att.attn.queries, 1);
  // 4*4*16*5*3 = 3840 FLOPs.
  EXPECT_DOUBLE_EQ(att.flops(), 3840);
  // Partial outputs all-reduced over cp: T*H*a = 384 B per layer.
  auto comms = collectives(g);
  ASSERT_EQ(comms.size(), 1u);
  EXPECT_EQ(comms[0]->comm.dim, ParallelDim::CP);
  EXPECT_EQ(comms[0]->comm.collective, net::Collective::AllReduce);
  EXPECT_DOUBLE_EQ(comms[0]->comm.bytes, 384);
  EXPECT_DOUBLE_EQ(comms[0]->count, 2);
  EXPECT_EQ(comms[0]->overlapsWith, indexOf(g, "attention"));
}

TEST(Partition, ContextParallelPrefillKeepsTheCausalWork) {
  // Prefill of 2 sequences x 8 tokens over cp 2. Unpartitioned the causal
  // attention costs 4*hq*d*(q*ctx - q^2/2)*batch = 4*4*16*(64 - 32)*2
  // = 16384 FLOPs. Each of the 2 ranks holds 4 of the 8 queries, and those
  // attend to keys of the whole prompt (the ones before them): the ranks
  // together do the whole causal work, so one rank does at least half of it,
  // 8192 FLOPs (exactly half when the ranks are load-balanced; 24 of the 32
  // pairs for the rank holding the last 4 queries).
  Compiled c(design(kTinyModel, "tiny", 2, "cp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tiny", prefill(2, 8));
  const Op &att = op(g, "attention");
  EXPECT_TRUE(att.attn.causal);
  EXPECT_EQ(att.attn.queries, 4);
  EXPECT_GE(att.flops(), 8192.0);
}

TEST(Partition, ContextParallelGathersTheLocalKvHeads) {
  // Prefill, 2 x 8 tokens (T = 16), cp 2: each rank contributes the K and V
  // of its T/cp = 8 tokens for the KV heads it holds.
  {
    // tp 1: both KV heads: 8 x 2 x 2 x 16 x 2 B = 1024 B per layer.
    Compiled c(design(kTinyModel, "tiny", 2, "cp = 2;"));
    ASSERT_TRUE(c.ok) << c.errorsText;
    OpGraph g = partitioned(c, "tiny", prefill(2, 8));
    auto comms = collectives(g);
    ASSERT_EQ(comms.size(), 1u);
    EXPECT_EQ(comms[0]->comm.collective, net::Collective::AllGather);
    EXPECT_EQ(comms[0]->comm.dim, ParallelDim::CP);
    EXPECT_DOUBLE_EQ(comms[0]->comm.bytes, 1024);
    EXPECT_DOUBLE_EQ(comms[0]->count, 2);
  }
  {
    // tp 2 x cp 2: a device holds 1 of the 2 KV heads, and the attention it
    // runs needs only that head's K and V from the other CP rank:
    // 8 x 2 x 1 x 16 x 2 B = 512 B.
    Compiled c(design(kTinyModel, "tiny", 4, "tp = 2; cp = 2;"));
    ASSERT_TRUE(c.ok) << c.errorsText;
    OpGraph g = partitioned(c, "tiny", prefill(2, 8));
    EXPECT_EQ(op(g, "attention").attn.headsKV, 1);
    const Op *gather = nullptr;
    for (const Op *k : collectives(g))
      if (k->comm.dim == ParallelDim::CP)
        gather = k;
    ASSERT_NE(gather, nullptr);
    EXPECT_DOUBLE_EQ(gather->comm.bytes, 512);
  }
}

namespace {
/// E[max of `bins` independent Binomial(n, p)] = sum_{x=0}^{n-1} 1 - F(x)^bins,
/// with the pmf written out term by term (C(n, x) p^x (1-p)^(n-x)).
double expectedMaxBinomial(int n, double p, int bins) {
  double cdf = 0, e = 0, choose = 1;
  for (int x = 0; x < n; ++x) {
    cdf += choose * std::pow(p, x) * std::pow(1 - p, n - x);
    e += 1 - std::pow(cdf, bins);
    choose = choose * double(n - x) / double(x + 1);
  }
  return e;
}
} // namespace

TEST(Partition, ExpertParallelLocalExpertsAndActiveExperts) {
  // ep 2 over dp 2 (tp 1): each device holds E/ep = 4 experts; its EP group
  // holds the tokens of 2 replicas.
  Compiled c(design(kTinyMoe, "tinymoe", 2, "ep = 2; dp = 2;",
                    "phase = decode; batch = 6; prompt = 8; generate = 8; "
                    "imbalance = 1.5;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tinymoe", decode(3, 10));
  // Distinct tokens in the EP group D = T * ep / tp = 3 * 2 = 6.
  // Tokens per expert = D * top_k / E * imbalance = 6*2/8*1.5 = 2.25 -> 3
  // rows.
  // An expert is hit with probability p = 1 - (1 - k/E)^D = 1 - 0.75^6
  // = 0.822021484375; a device's mean is E/ep * p = 4p = 3.288 (DESIGN.md
  // 6.5), and the step waits for the busier of the 2 devices:
  //   E[max of 2 x Binomial(4, p)] = sum_{x<4} 1 - F(x)^2
  //   F = 0.0010034, 0.0195409, 0.1479669, 0.5434037
  //   = 4 - (0.0000010 + 0.0003818 + 0.0218942 + 0.2952875) = 3.6824
  // -> batch ceil(3.6824) = 4 experts read.
  EXPECT_NEAR(expectedMaxBinomial(4, 1 - std::pow(0.75, 6), 2), 3.682435785,
              1e-9);
  const Op &up = op(g, "moe.up");
  expectGemm(up, 3, 64, 64, 4);
  // Weights held: all 4 local experts, 64*64*4*2 = 32768 B (half of the
  // model's 65536).
  EXPECT_DOUBLE_EQ(up.weightBytes, 32768);
  // FLOPs: 2*3*64*64*4 = 98304.
  EXPECT_DOUBLE_EQ(up.flops(), 98304);
  const Op &down = op(g, "moe.down");
  expectGemm(down, 3, 64, 32, 4);
  EXPECT_DOUBLE_EQ(down.weightBytes, 16384);
  // The router is replicated: 3 x 8 x 64.
  expectGemm(op(g, "moe.router"), 3, 8, 64);
  // moe.act: 3*T*k*F*a = 3*3*2*32*2 = 1152 B before; the device handles
  // D*k/ep = 6 slots = T*k: unchanged.
  EXPECT_DOUBLE_EQ(op(g, "moe.act").vectorBytes, 1152);

  // Dispatch and combine: each device sends T*k/ep = 3*2/2 = 3 token slots
  // of H*a = 128 B to each destination: 384 B, once per MoE layer (2).
  auto comms = collectives(g);
  ASSERT_EQ(comms.size(), 2u);
  EXPECT_EQ(comms[0]->comm.what, "expert dispatch");
  EXPECT_EQ(comms[1]->comm.what, "expert combine");
  for (const Op *k : comms) {
    EXPECT_EQ(k->comm.dim, ParallelDim::EP);
    EXPECT_EQ(k->comm.collective, net::Collective::AllToAll);
    EXPECT_DOUBLE_EQ(k->comm.bytes, 384);
    EXPECT_DOUBLE_EQ(k->count, 2);
  }
  EXPECT_EQ(comms[0]->overlapsWith, indexOf(g, "moe.up"));
  EXPECT_EQ(comms[1]->overlapsWith, indexOf(g, "moe.down"));
}

TEST(Partition, FewTokensActivateFewExperts) {
  // One token (T = 1), ep 2, imbalance 1: D = 2 distinct tokens.
  Compiled c(design(kTinyMoe, "tinymoe", 2, "ep = 2; dp = 2;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "tinymoe", decode(1, 10));
  // p = 1 - 0.75^2 = 0.4375 (mean 4p = 1.75 per device);
  //   F = 0.1001129, 0.4115753, 0.7749481, 0.9633636
  //   E[max of 2] = 4 - (0.0100226 + 0.1693943 + 0.6005446 + 0.9280695)
  //   = 2.2920 -> 3 experts read of 4;
  // tokens per expert 2*2/8 = 0.5 -> 1 row.
  EXPECT_NEAR(expectedMaxBinomial(4, 0.4375, 2), 2.291969056, 1e-9);
  expectGemm(op(g, "moe.up"), 1, 64, 64, 3);
  // Capacity still counts all 4 local experts.
  EXPECT_DOUBLE_EQ(op(g, "moe.up").weightBytes, 32768);
}

TEST(Partition, ActiveExpertsOfManyExpertsOnOneDevice) {
  // 256 experts, top 8, one device (ep 1: the mean, no max over devices),
  // T = 94 tokens: p = 1 - (1 - 8/256)^94 = 1 - 0.0505710 = 0.9494290;
  // E * p = 256 * 0.9494290 = 243.054 -> 244 experts read, not all 256.
  // ((1 - p)^256 = 1e-332 underflows a double: the expected count must not
  // depend on it.)
  Compiled c(design("model wide { layers = 1; hidden = 64; heads = 4; "
                    "kv_heads = 2; head_dim = 16; vocab = 100; "
                    "max_context = 64; moe { experts = 256; top_k = 8; "
                    "expert_ffn = 32; } }\n",
                    "wide", 1, "tp = 1;"));
  ASSERT_TRUE(c.ok) << c.errorsText;
  OpGraph g = partitioned(c, "wide", decode(94, 10));
  EXPECT_NEAR(expectedMaxBinomial(256, 1 - std::pow(1 - 8.0 / 256, 94), 1),
              243.0538324, 1e-6);
  // Tokens per expert: 94*8/256 = 2.94 -> 3 rows.
  expectGemm(op(g, "moe.up"), 3, 64, 64, 244);
}

//===----------------------------------------------------------------------===//
// overlap-scheduling
//===----------------------------------------------------------------------===//

TEST(OverlapTile, OneWaveGainsNothing) {
  // W = 1: C/W + max(0, H) + H + L = C + 2H + L, capped at C + H + L.
  // C = 10, H = 2, L = 5: min(19, 17) = 17.
  EXPECT_DOUBLE_EQ(overlapTile(10, 2, 5, 1), 17);
  // Fewer than half a wave rounds to one.
  EXPECT_DOUBLE_EQ(overlapTile(10, 2, 5, 0.2), 17);
  // No latency: C + max(0, 0) + 0 + L.
  EXPECT_DOUBLE_EQ(overlapTile(10, 0, 5, 1), 15);
}

TEST(OverlapTile, ComputeDominatedHidesTheTransfer) {
  // C = 100, H = 1, L = 20, W = 4:
  // 100/4 + max(100*3/4, 1 + 20*3/4) + 1 + 20/4 = 25 + max(75, 16) + 1 + 5
  // = 106, against 121 without overlap.
  EXPECT_DOUBLE_EQ(overlapTile(100, 1, 20, 4), 106);
  // 3.6 waves round to 4.
  EXPECT_DOUBLE_EQ(overlapTile(100, 1, 20, 3.6), 106);
  // Exposed communication = 106 - 100 = 6 of the 21.
}

TEST(OverlapTile, CommunicationDominatedHidesTheCompute) {
  // C = 20, H = 2, L = 100, W = 4:
  // 20/4 + max(15, 2 + 75) + 2 + 100/4 = 5 + 77 + 2 + 25 = 109 (< 122).
  EXPECT_DOUBLE_EQ(overlapTile(20, 2, 100, 4), 109);
  // Never worse than no overlap, whatever the waves.
  for (double w : {1.0, 2.0, 3.0, 8.0, 64.0, 1000.0})
    EXPECT_LE(overlapTile(20, 2, 100, w), 122.0 + 1e-12) << w;
  // No compute: the transfer is the whole time plus one extra latency,
  // capped: H + L = 102.
  EXPECT_DOUBLE_EQ(overlapTile(0, 2, 100, 4), 102);
}

namespace {
/// One GEMM (count 2, 10 us, 4 waves, DRAM-bound) drained by one
/// all-reduce (count 2, H = 1 us, L = 20 us, 1 mJ).
struct TinySchedule {
  OpGraph g;
  std::vector<TiledOp> tiles;
  std::vector<net::CollectiveCost> comm;
  TinySchedule(net::Collective coll = net::Collective::AllReduce) {
    Op gemm;
    gemm.name = "mlp.down";
    gemm.kind = OpKind::Gemm;
    gemm.role = OpRole::MlpDown;
    gemm.cls = OpClass::Mlp;
    gemm.count = 2;
    Op k;
    k.name = "tp.all_reduce.MLP output";
    k.kind = OpKind::Collective;
    k.role = OpRole::Comm;
    k.cls = OpClass::Network;
    k.count = 2;
    k.comm.collective = coll;
    k.overlapsWith = coll == net::Collective::SendRecv ? -1 : 0;
    g.ops = {gemm, k};
    tiles.resize(2);
    tiles[0].cost.time = 10e-6;
    tiles[0].cost.waves = 4;
    tiles[0].cost.bound = compute::Bound::Dram;
    tiles[0].cost.flops = 1e6;
    tiles[0].cost.dramBytes = 1e5;
    tiles[0].energy = 2e-3;
    comm.resize(2);
    comm[1].latency = 1e-6;
    comm[1].bandwidth = 20e-6;
    comm[1].time = 21e-6;
    comm[1].energy = 1e-3;
  }
};
} // namespace

TEST(ScheduleStep, TileOverlapExposesOnlyTheExcess) {
  TinySchedule t;
  ScheduledStep s = scheduleStep(t.g, t.tiles, t.comm, Overlap::Tile, 1, 0);
  // Per execution: overlapTile(10, 1, 20, 4) = 2.5 + max(7.5, 16) + 1 + 5
  // = 24.5 us; exposed 24.5 - 10 = 14.5 us, times 2 = 29 us.
  // Step: 2 * 10 + 29 = 49 us.
  EXPECT_NEAR(s.time, 49e-6, 1e-15);
  EXPECT_NEAR(s.opTime[0], 20e-6, 1e-15);
  EXPECT_NEAR(s.opTime[1], 29e-6, 1e-15);
  EXPECT_NEAR(s.commTime, 42e-6, 1e-15);
  EXPECT_NEAR(s.commExposed, 29e-6, 1e-15);
  // The exposed network time is charged to the class of the operator it
  // overlaps (mlp), the GEMM's time to memory (DRAM-bound).
  const TimeSplit &mlp = s.byClass[unsigned(OpClass::Mlp)];
  EXPECT_NEAR(mlp.memory, 20e-6, 1e-15);
  EXPECT_NEAR(mlp.network, 29e-6, 1e-15);
  EXPECT_DOUBLE_EQ(mlp.compute, 0);
  EXPECT_DOUBLE_EQ(s.byClass[unsigned(OpClass::Network)].total(), 0);
  // Energy and work: 2 * 2 mJ, 2 * 1 mJ, 2 * 1e6 FLOPs, 2 * 1e5 B.
  EXPECT_DOUBLE_EQ(s.computeEnergy, 4e-3);
  EXPECT_DOUBLE_EQ(s.networkEnergy, 2e-3);
  EXPECT_DOUBLE_EQ(s.flops, 2e6);
  EXPECT_DOUBLE_EQ(s.dramBytes, 2e5);
}

TEST(ScheduleStep, LayerAndNoneExposeTheWholeCollective) {
  TinySchedule t;
  // 2 * 10 + 2 * 21 = 62 us.
  for (Overlap mode : {Overlap::Layer, Overlap::None}) {
    ScheduledStep s = scheduleStep(t.g, t.tiles, t.comm, mode, 1, 0);
    EXPECT_NEAR(s.time, 62e-6, 1e-15);
    EXPECT_NEAR(s.commExposed, 42e-6, 1e-15);
  }
}

TEST(ScheduleStep, CollectivesPayALaunch) {
  TinySchedule t;
  // launch 3 us: H = 4 us, time 24 us. No overlap: 20 + 2 * 24 = 68 us.
  ScheduledStep s = scheduleStep(t.g, t.tiles, t.comm, Overlap::Layer, 1, 3e-6);
  EXPECT_NEAR(s.time, 68e-6, 1e-15);
  // Tile: 2.5 + max(7.5, 4 + 15) + 4 + 5 = 30.5 us; exposed 20.5 * 2 = 41.
  s = scheduleStep(t.g, t.tiles, t.comm, Overlap::Tile, 1, 3e-6);
  EXPECT_NEAR(s.time, 61e-6, 1e-15);
}

TEST(ScheduleStep, StageSendHidesBehindTheNextMicrobatch) {
  TinySchedule t(net::Collective::SendRecv);
  // Layer overlap with 2 microbatches: only the latency, 2 * 1 us, stays.
  ScheduledStep s = scheduleStep(t.g, t.tiles, t.comm, Overlap::Layer, 2, 0);
  EXPECT_NEAR(s.time, 22e-6, 1e-15);
  // One microbatch, or no overlap: the whole 2 * 21 us.
  s = scheduleStep(t.g, t.tiles, t.comm, Overlap::Layer, 1, 0);
  EXPECT_NEAR(s.time, 62e-6, 1e-15);
  s = scheduleStep(t.g, t.tiles, t.comm, Overlap::None, 2, 0);
  EXPECT_NEAR(s.time, 62e-6, 1e-15);
  // Not overlapping an operator, it is charged to the network class.
  EXPECT_NEAR(s.byClass[unsigned(OpClass::Network)].network, 42e-6, 1e-15);
}

//===----------------------------------------------------------------------===//
// evaluate
//===----------------------------------------------------------------------===//

namespace {
// One layer of the tiny model on one H100, batch 4, prompt 8, generate 8.
const char *kOneLayer =
    "model one { layers = 1; hidden = 64; heads = 4; kv_heads = 2; "
    "head_dim = 16; ffn = 128; vocab = 100; max_context = 64; }\n";

struct Evaluated {
  Compiled c;
  DesignMetrics m;
  bool ok = false;
  explicit Evaluated(const std::string &text,
                     std::vector<std::string> settings = {})
      : c(text, std::move(settings)) {
    if (!c.ok)
      return;
    clearOperatorCache(); // keyed on chip addresses, which repeat
    const DesignIR &d = c.design();
    net::NetworkModel network(net::FabricSpec::fromIR(*d.system->network));
    ok = evaluateDesign(d, network, c.comp->diags(), m);
  }
};
} // namespace

TEST(Evaluate, MemoryUseByHand) {
  Evaluated e(design(kOneLayer, "one", 1, "tp = 1;"));
  ASSERT_TRUE(e.c.ok) << e.c.errorsText;
  ASSERT_TRUE(e.ok) << e.c.errorsText;
  const MemoryUse &u = e.m.memory;
  // Weights: GEMMs qkv 128*64 + o 64*64 + up 256*64 + down 64*128 + head
  // 100*64 = 43264 elements, plus the untied input embedding 100*64 = 6400:
  // 49664 * 2 B = 99328 B (= modelWeightBytes of the 1-layer model).
  EXPECT_DOUBLE_EQ(u.weights, 99328);
  EXPECT_DOUBLE_EQ(u.weights, modelWeightBytes(e.c.model("one")));
  // KV: layers * 2 * hkv * d * b * ctx * batch = 1*2*2*16*2*(8 + 8)*4
  // = 8192 B.
  EXPECT_DOUBLE_EQ(u.kvCache, 8192);
  // Activations: 4 tensors * 4 tokens * widest row (2*ffn = 256) * 2 B
  // = 8192 B.
  EXPECT_DOUBLE_EQ(u.activations, 8192);
  // Capacity: 5 stacks * 8 layers * 2 GB = 80 GB.
  EXPECT_DOUBLE_EQ(u.capacity, 80e9);
  EXPECT_TRUE(e.m.feasible);
  EXPECT_TRUE(e.m.infeasible.empty());
  EXPECT_EQ(e.m.devices, 1);
}

TEST(Evaluate, TensorParallelHalvesMemoryPerDevice) {
  Evaluated e(design(kOneLayer, "one", 2, "tp = 2;"));
  ASSERT_TRUE(e.ok) << e.c.errorsText;
  // Every matrix splits in two, embedding included: 99328 / 2 = 49664 B.
  EXPECT_DOUBLE_EQ(e.m.memory.weights, 49664);
  // One KV head per device: 1*2*1*16*2*16*4 = 4096 B.
  EXPECT_DOUBLE_EQ(e.m.memory.kvCache, 4096);
  // Widest row max(H 64, 2*ffn/tp 128, vocab/tp 50) = 128: 4*4*128*2.
  EXPECT_DOUBLE_EQ(e.m.memory.activations, 4096);
}

TEST(Evaluate, OutOfMemoryIsInfeasibleWithTheNumbers) {
  // 1 KiB per DRAM die: 5 * 8 * 1 KiB = 40 KiB < 113 KiB needed
  // (99328 + 8192 + 8192 = 115712 B = 113 KiB).
  Evaluated e(design(kOneLayer, "one", 1, "tp = 1;"),
              {"hbm3_h100.layer_capacity=1 KiB"});
  ASSERT_TRUE(e.c.ok) << e.c.errorsText;
  ASSERT_TRUE(e.ok) << e.c.errorsText; // evaluated, not an error
  EXPECT_FALSE(e.m.feasible);
  EXPECT_DOUBLE_EQ(e.m.memory.capacity, 40960);
  EXPECT_DOUBLE_EQ(e.m.memory.total(), 115712);
  EXPECT_EQ(e.m.infeasible,
            "out of memory: 113 KiB per device (weights 97 KiB, KV cache "
            "8 KiB, activations 8 KiB) exceeds the 40 KiB of 'hbm3_h100'");
  // Not timed.
  EXPECT_DOUBLE_EQ(e.m.tpot, 0);
  EXPECT_FALSE(e.m.decode.present);
}

TEST(Evaluate, TimingIdentities) {
  Evaluated e(design(kOneLayer, "one", 1, "tp = 1;"));
  ASSERT_TRUE(e.ok) << e.c.errorsText;
  const DesignMetrics &m = e.m;
  ASSERT_TRUE(m.feasible);
  double Td = m.decode.step.time, Tp = m.prefill.step.time;
  ASSERT_GT(Td, 0);
  ASSERT_GT(Tp, 0);
  // pp = M = 1: TPOT = max(M, pp) * T_s = T_s; TTFT = (pp + M - 1) * T_p.
  EXPECT_DOUBLE_EQ(m.tpot, Td);
  EXPECT_DOUBLE_EQ(m.ttft, Tp);
  EXPECT_DOUBLE_EQ(m.decode.bubble, 0);
  // STPS = batch / TPOT = 4 / TPOT; one device.
  EXPECT_DOUBLE_EQ(m.stps, 4 / m.tpot);
  EXPECT_DOUBLE_EQ(m.tokensPerDevice, m.stps);
  // End to end = TTFT + (generate - 1) * TPOT = TTFT + 7 TPOT: prefill
  // makes the first of the 8 tokens.
  EXPECT_DOUBLE_EQ(m.endToEnd, m.ttft + 7 * m.tpot);
  // Prefill throughput: 4 * 8 prompt tokens per TTFT.
  EXPECT_DOUBLE_EQ(m.prefillTps, 32 / m.ttft);
  // Energy: at least the static power (0.25 * 700 W = 175 W) over the token
  // period per token; finite and positive.
  EXPECT_GE(m.decode.power, 175.0);
  EXPECT_TRUE(std::isfinite(m.energyPerToken));
  EXPECT_GE(m.energyPerToken, 175.0 * m.tpot / 4);
  EXPECT_DOUBLE_EQ(m.energyPerToken, m.decode.power * m.tpot / 4);
  EXPECT_DOUBLE_EQ(m.tokensPerJoule, 1 / m.energyPerToken);
  // The per-class breakdown sums to the step.
  double sum = 0;
  for (const TimeSplit &t : m.decode.step.byClass)
    sum += t.total();
  EXPECT_NEAR(sum, Td, 1e-12 * Td);
  EXPECT_FALSE(m.limits.empty());
}

/// A step's extra time on the first (embedding) and last (final norm and
/// LM head) pipeline stage, and the time of a middle stage.
struct Stages {
  double first = 0, last = 0, middle = 0;
};
Stages stagesOf(const PhaseResult &r) {
  Stages s;
  for (size_t i = 0; i < r.graph.ops.size(); ++i) {
    if (r.graph.ops[i].cls == OpClass::Embedding)
      s.first += r.step.opTime[i];
    if (r.graph.ops[i].cls == OpClass::Head)
      s.last += r.step.opTime[i];
  }
  s.middle = r.step.time - s.first - s.last;
  return s;
}

TEST(Evaluate, PipelineWithOneMicrobatchIdles) {
  // pp 2, one microbatch of all 4 requests: a token takes the sum of the
  // stages, first (middle + embedding) then last (middle + head):
  // TPOT = 2 middle + first extra + last extra; the idle part is TPOT minus
  // one slowest stage. TTFT the same way on the prefill step.
  Evaluated e(design(kTinyModel, "tiny", 2, "pp = 2; microbatches = 1;"));
  ASSERT_TRUE(e.ok) << e.c.errorsText;
  const DesignMetrics &m = e.m;
  ASSERT_TRUE(m.feasible);
  Stages d = stagesOf(m.decode), p = stagesOf(m.prefill);
  EXPECT_DOUBLE_EQ(m.tpot, 2 * d.middle + d.first + d.last);
  EXPECT_DOUBLE_EQ(m.decode.bubble,
                   m.tpot - (d.middle + std::max(d.first, d.last)));
  EXPECT_DOUBLE_EQ(m.ttft, 2 * p.middle + p.first + p.last);
  EXPECT_DOUBLE_EQ(m.stps, 4 / m.tpot);
  // Two devices: per-device rate is half the system's.
  EXPECT_DOUBLE_EQ(m.tokensPerDevice, m.stps / 2);
  // The decode graph holds one layer per stage and all 4 requests.
  EXPECT_DOUBLE_EQ(m.decode.graph.sequences, 4);
  EXPECT_DOUBLE_EQ(op(m.decode.graph, "qkv").count, 1);
  bool warned = false;
  for (const std::string &w : m.warnings)
    warned |= w.find("1 microbatches for 2 stages") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(Evaluate, PipelineMicrobatchesFillTheStages) {
  // pp 2, M = 2 microbatches of 2 requests: the slowest stage paces the
  // pipeline, TPOT = 2 (middle + max(first, last)), no bubble; TTFT = the
  // first microbatch through both stages + one more slowest stage.
  Evaluated e(design(kTinyModel, "tiny", 2, "pp = 2;"));
  ASSERT_TRUE(e.ok) << e.c.errorsText;
  const DesignMetrics &m = e.m;
  EXPECT_DOUBLE_EQ(m.decode.graph.sequences, 2);
  Stages d = stagesOf(m.decode), p = stagesOf(m.prefill);
  EXPECT_DOUBLE_EQ(m.tpot, 2 * (d.middle + std::max(d.first, d.last)));
  EXPECT_DOUBLE_EQ(m.decode.bubble, 0);
  EXPECT_DOUBLE_EQ(m.ttft, (2 * p.middle + p.first + p.last) +
                               (p.middle + std::max(p.first, p.last)));
}

TEST(Evaluate, MicrobatchesNeverExceedTheRequests) {
  // One request through 2 stages: microbatches defaults to pp = 2, but there
  // is only one request to put in flight, so the design is the same as with
  // microbatches = 1: TTFT = (pp + 1 - 1) * T_p = 2 T_p (not 3 T_p), the
  // devices do one microbatch of work per token period (not two), and half
  // of the period is a bubble.
  const char *w = "phase = decode; batch = 1; prompt = 8; generate = 8;";
  Evaluated byDefault(design(kTinyModel, "tiny", 2, "pp = 2;", w));
  Evaluated one(design(kTinyModel, "tiny", 2, "pp = 2; microbatches = 1;", w));
  ASSERT_TRUE(byDefault.ok) << byDefault.c.errorsText;
  ASSERT_TRUE(one.ok) << one.c.errorsText;
  Stages p = stagesOf(one.m.prefill);
  EXPECT_DOUBLE_EQ(one.m.ttft, 2 * p.middle + p.first + p.last);
  EXPECT_DOUBLE_EQ(byDefault.m.ttft, one.m.ttft);
  EXPECT_DOUBLE_EQ(byDefault.m.tpot, one.m.tpot);
  EXPECT_DOUBLE_EQ(byDefault.m.energyPerToken, one.m.energyPerToken);
  EXPECT_DOUBLE_EQ(byDefault.m.decode.bubble, one.m.decode.bubble);
}

TEST(Evaluate, DecodeAveragesTheKvLengths) {
  // Decode samples KV lengths prompt + (i + 0.5) * generate / 4 for
  // i = 0..3: 8 + {1, 3, 5, 7} (llround of 1, 3, 5, 7); the graph shows the
  // middle one, i = 2: 8 + 5 = 13.
  Evaluated e(design(kOneLayer, "one", 1, "tp = 1;"));
  ASSERT_TRUE(e.ok) << e.c.errorsText;
  EXPECT_EQ(op(e.m.decode.graph, "attention").attn.context, 13);
  EXPECT_EQ(e.m.decode.graph.context, 13);
  // Prefill attends over the prompt.
  EXPECT_EQ(op(e.m.prefill.graph, "attention").attn.context, 8);
  EXPECT_TRUE(op(e.m.prefill.graph, "attention").attn.causal);
}
