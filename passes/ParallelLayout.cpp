//===- ParallelLayout.cpp - Ranks of a schedule on the devices ------------===//
#include "passes/ParallelLayout.h"

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
    l.stride[i] = stride;
    stride *= l.degree[i];
  }
  l.ranks = stride;
  return l;
}

std::string ParallelLayout::describe() const {
  std::string s;
  for (unsigned i = 0; i < kParallelDims; ++i)
    s += fmt::format("{}{} {}", i ? " x " : "", kNames[i], degree[i]);
  return s + fmt::format(" = {}", ranks);
}
