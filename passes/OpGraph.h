//===- OpGraph.h - One forward step as operators ----------------*- C++ -*-===//
//
// What model-to-ops produces and partition refines (DESIGN.md 3, passes 1-2;
// 6.5): the operators of one forward step of one pipeline stage, on one
// device. Identical layers are one operator with a count. Compute operators
// carry their shapes for the compute model; collectives carry their group
// and message size for the network model.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_OPGRAPH_H
#define DEEPSTACK_PASSES_OPGRAPH_H

#include "passes/NetworkAbstraction.h"
#include "runtime/compute/ComputeModel.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace ds {

enum class OpKind { Gemm, Attention, Vector, Collective };

/// What an operator is in the transformer, so partition knows how to split
/// it.
enum class OpRole {
  Embedding, Norm, Qkv, Rope, KvWrite, Attention, MlaAbsorb, OProj, Residual, MlpUp, MlpAct, MlpDown,
  Router, ExpertsUp, ExpertsAct, ExpertsDown, SharedUp, SharedDown, Head,
  Comm
};

/// Where an operator's time goes in the breakdown.
enum class OpClass { Attention, Mlp, Moe, Norm, Embedding, Head, Network };
llvm::StringRef opClassName(OpClass c);

struct Op {
  std::string name; ///< e.g. "qkv", "mlp.up", "tp.allreduce.mlp"
  OpKind kind = OpKind::Gemm;
  OpRole role = OpRole::Qkv;
  OpClass cls = OpClass::Mlp;
  double count = 1; ///< times per forward step of the stage (layers ...)

  compute::GemmShape gemm;        ///< Gemm
  compute::AttentionShape attn;   ///< Attention
  double vectorBytes = 0;         ///< Vector: DRAM bytes streamed
  double vectorFlops = 0;         ///< Vector: FP32 operations
  CommOp comm;                    ///< Collective

  /// Collective: index of the compute operator whose tiles it overlaps
  /// with under `overlap = tile` (all-gather before, reduce-scatter or
  /// all-reduce after, all-to-all around the experts); -1 for none.
  int overlapsWith = -1;

  /// Weight bytes of the operator on this device (capacity, reports).
  double weightBytes = 0;
  /// Useful FLOPs of one execution (reports, hand checks).
  double flops() const;
};

/// One forward step (a decode step or a prefill) of one pipeline stage.
struct OpGraph {
  Phase phase = Phase::Decode;
  double tokens = 0;     ///< tokens per microbatch on one replica
  double sequences = 0;  ///< requests per microbatch on one replica
  int64_t context = 0;   ///< KV length the step attends to (decode)
  std::vector<Op> ops;

  void print(llvm::raw_ostream &os) const;
};

} // namespace ds

#endif
