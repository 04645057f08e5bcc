//===- ParallelLayout.cpp - Ranks of a schedule on the devices ------------===//
#include "passes/ParallelLayout.h"

#include "ir/Checked.h"

#include <fmt/format.h>

using namespace ds;

namespace {
const char *const kNames[kParallelDims] = {"tp", "ep", "sp", "cp", "dp", "pp"};
} // namespace

llvm::StringRef ds::parallelDimName(ParallelDim d) {
  return kNames[unsigned(d)];
}

bool ds::parseParallelDim(llvm::StringRef s, ParallelDim &out) {
  for (unsigned i = 0; i < kParallelDims; ++i)
    if (s == kNames[i]) {
      out = ParallelDim(i);
      return true;
    }
  return false;
}

ParallelLayout ParallelLayout::of(const ScheduleIR &s) {
  ParallelLayout l;
  l.degree = {s.tp, s.ep, s.sp, s.cp, s.dp, s.pp};
  int64_t stride = 1;
  for (unsigned i = 0; i < kParallelDims; ++i) {
    if (ParallelDim(i) == ParallelDim::EP) {
      l.stride[i] = 1; // the first ep ranks of the stage, TP groups first
      continue;
    }
    l.stride[i] = stride;
    stride = saturatingMul(stride, l.degree[i]);
  }
  l.ranks = stride;
  l.stageRanks = stride / s.pp;
  return l;
}

std::string ParallelLayout::describe() const {
  std::string s;
  for (unsigned i = 0; i < kParallelDims; ++i)
    if (ParallelDim(i) != ParallelDim::EP)
      s += fmt::format("{}{} {}", s.empty() ? "" : " x ", kNames[i],
                       degree[i]);
  if (saturated(ranks))
    return s + " = more than 2^63";
  return s + fmt::format(" = {}", ranks);
}
