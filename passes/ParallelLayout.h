//===- ParallelLayout.h - Ranks of a schedule on the devices ----*- C++ -*-===//
//
// A schedule's parallel dimensions are laid on the device ids from the
// innermost network level outward in the order TP, SP, CP, DP, PP
// (DESIGN.md 6.4): a dimension's group members are `stride` apart, stride =
// the product of the inner degrees, so a TP group of at most a board's size
// stays on one board. Expert parallelism reuses the ranks of a pipeline
// stage for the MoE layers, as vLLM and Megatron do (attention TP 8 and
// experts EP 8 on the same 8 GPUs): an EP group is `ep` consecutive ranks,
// TP groups first, and ep must divide tp * sp * cp * dp.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_PARALLELLAYOUT_H
#define DEEPSTACK_PASSES_PARALLELLAYOUT_H

#include "ir/IR.h"
#include "runtime/network/Pattern.h"
#include "llvm/ADT/StringRef.h"
#include <array>

namespace ds {

enum class ParallelDim { TP, EP, SP, CP, DP, PP };
constexpr unsigned kParallelDims = 6;

llvm::StringRef parallelDimName(ParallelDim d);
/// Parses "tp", "ep", ...; false when unknown.
bool parseParallelDim(llvm::StringRef s, ParallelDim &out);

struct ParallelLayout {
  std::array<int64_t, kParallelDims> degree{};
  std::array<int64_t, kParallelDims> stride{};
  int64_t ranks = 1;      ///< tp * sp * cp * dp * pp
  int64_t stageRanks = 1; ///< ranks of one pipeline stage

  static ParallelLayout of(const ScheduleIR &s);
  net::Group group(ParallelDim d) const {
    return net::Group{degree[unsigned(d)], stride[unsigned(d)]};
  }
  /// "tp 8 x sp 1 x cp 1 x dp 8 x pp 2 = 128".
  std::string describe() const;
};

} // namespace ds

#endif
