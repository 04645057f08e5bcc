//===- OpGraph.cpp - One forward step as operators ------------------------===//
#include "passes/OpGraph.h"

#include "frontend/Units.h"
#include <fmt/format.h>

using namespace ds;

llvm::StringRef ds::opClassName(OpClass c) {
  static const char *const names[] = {"attention", "mlp",  "moe",    "norm",
                                      "embedding", "head", "network"};
  return names[unsigned(c)];
}

double Op::flops() const {
  switch (kind) {
  case OpKind::Gemm:
    return 2.0 * double(gemm.m) * double(gemm.n) * double(gemm.k) *
           double(gemm.batch);
  case OpKind::Attention: {
    // QK^T and PV: 4 * hq * d per query-key pair; causal prefill keeps
    // q * ctx - q^2 / 2 pairs per sequence.
    double q = double(attn.queries), ctx = double(attn.context);
    double pairs = attn.causal ? q * ctx - q * q / 2 : q * ctx;
    return 4.0 * double(attn.headsQ) * double(attn.headDim) * pairs *
           double(attn.batch);
  }
  case OpKind::Vector:
    return vectorFlops;
  case OpKind::Collective:
    return 0;
  }
  return 0;
}

void OpGraph::print(llvm::raw_ostream &os) const {
  os << fmt::format("step {}: {} tokens, {} sequences, context {}\n",
                    spelling(EnumId::Phase, phase).str(), formatNumber(tokens),
                    formatNumber(sequences), context);
  for (const Op &op : ops) {
    os << fmt::format("  {:<34} x{:<7} ", op.name, formatNumber(op.count, 4));
    switch (op.kind) {
    case OpKind::Gemm:
      os << fmt::format("gemm {}x{}x{}{}", op.gemm.m, op.gemm.n, op.gemm.k,
                        op.gemm.batch > 1
                            ? fmt::format(" batch {}", op.gemm.batch)
                            : std::string());
      break;
    case OpKind::Attention:
      os << fmt::format("attention b{} hq{} hkv{} d{} q{} ctx{}{}",
                        op.attn.batch, op.attn.headsQ, op.attn.headsKV,
                        op.attn.headDim, op.attn.queries, op.attn.context,
                        op.attn.causal ? " causal" : "");
      break;
    case OpKind::Vector:
      os << "vector " << formatQuantity(op.vectorBytes, Dim::bytes(), 4);
      break;
    case OpKind::Collective:
      os << fmt::format("{} {} over {}",
                        net::collectiveName(op.comm.collective).str(),
                        formatQuantity(op.comm.bytes, Dim::bytes(), 4),
                        parallelDimName(op.comm.dim).str());
      break;
    }
    if (op.kind != OpKind::Collective)
      os << fmt::format("  {} FLOP", formatNumber(op.flops(), 4));
    if (op.weightBytes > 0)
      os << "  weights " << formatQuantity(op.weightBytes, Dim::bytes(), 4);
    if (op.overlapsWith >= 0)
      os << "  overlaps op " << op.overlapsWith;
    os << "\n";
  }
}
