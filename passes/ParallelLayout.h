//===- ParallelLayout.h - Ranks of a schedule on the devices ----*- C++ -*-===//
//
// A schedule's parallel dimensions are laid on the device ids from the
// innermost network level outward in the order TP, EP, SP, CP, DP, PP
// (DESIGN.md 6.4): a dimension's group members are `stride` apart, stride =
// the product of the inner degrees, so a TP group of at most a board's size
// stays on one board.
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
  int64_t ranks = 1; ///< the product of the degrees

  static ParallelLayout of(const ScheduleIR &s);
  net::Group group(ParallelDim d) const {
    return net::Group{degree[unsigned(d)], stride[unsigned(d)]};
  }
  /// "tp 8 x ep 1 x ... = 128".
  std::string describe() const;
};

} // namespace ds

#endif
