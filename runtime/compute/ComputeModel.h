//===- ComputeModel.h - Operators tiled onto cores and SRAM -----*- C++ -*-===//
//
// GEMM, batched GEMM, attention and vector operators on a chip of N cores
// (DESIGN.md 6.2): choose the tile that fits SRAM and runs fastest, count
// waves (wave quantization), derive DRAM traffic from the tiling, and take
// the slowest of compute, DRAM, L2 and SRAM time plus the launch overhead.
// DRAM bandwidth comes from the memory model for the access pattern the
// tiling produces, through a callback, so this file knows no DRAM physics.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_COMPUTE_COMPUTEMODEL_H
#define DEEPSTACK_RUNTIME_COMPUTE_COMPUTEMODEL_H

#include "ir/IR.h"
#include "runtime/dram/DeviceModel.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace ds {
namespace compute {

/// Effective DRAM bandwidth (bytes/s, whole chip) for an access pattern.
using DramBandwidthFn = llvm::function_ref<double(const dram::Pattern &)>;

/// What bounds an operator's time.
enum class Bound { Compute, Dram, L2, Sram, Launch };
llvm::StringRef boundName(Bound b);

struct Tile {
  int64_t m = 0, n = 0, k = 0;
};

struct OpCost {
  double time = 0;        ///< seconds, launch included
  double flops = 0;       ///< useful FLOPs
  double paddedFlops = 0; ///< FLOPs after padding to the mma shape
  double dramBytes = 0;   ///< bytes moved to and from DRAM
  double l2Bytes = 0;
  double sramBytes = 0;
  double waves = 0;       ///< tiles / cores (fractional)
  Tile tile;
  Bound bound = Bound::Compute;
  double computeTime = 0, dramTime = 0, l2Time = 0, sramTime = 0;
  dram::Pattern pattern;  ///< the DRAM access pattern of the tiling
};

/// C[M, N] (+)= A[M, K] * B[K, N], `batch` independent times (batched GEMM
/// when batch > 1; B shared across the batch when `sharedB`).
struct GemmShape {
  int64_t m = 1, n = 1, k = 1, batch = 1;
  DType a = DType::BF16, b = DType::BF16, out = DType::BF16;
  bool sharedB = false;
};

OpCost gemm(const ChipIR &chip, const GemmShape &s, DramBandwidthFn dram);

/// Decode attention: `batch` sequences, one query token each, against a KV
/// cache of `context` tokens: FLOPs 4 * hq * d * ctx per sequence, bytes the
/// KV read 2 * hkv * d * ctx * b_kv (+ Q and O).
struct AttentionShape {
  int64_t batch = 1, headsQ = 1, headsKV = 1, headDim = 128;
  int64_t queries = 1;  ///< query tokens per sequence (1 in decode)
  int64_t context = 1;  ///< keys per sequence (prefill: = queries, causal)
  bool causal = false;
  DType act = DType::BF16, kv = DType::BF16;
};

OpCost attention(const ChipIR &chip, const AttentionShape &s,
                 DramBandwidthFn dram);

/// An elementwise or reduction operator (norm, residual, RoPE, activation):
/// streams `bytes` through DRAM and does `flops` FP32 operations.
OpCost vectorOp(const ChipIR &chip, double bytes, double flops,
                DramBandwidthFn dram);

/// Peak FLOP/s of the chip for a data type (the slower of two operands).
double peakFlops(const ChipIR &chip, DType a, DType b);

} // namespace compute
} // namespace ds

#endif
