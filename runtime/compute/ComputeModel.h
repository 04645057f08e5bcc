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

/// A GEMM tile (m x n outputs, k deep per step); for attention m is the
/// query rows per block, n the keys per step and k the head dimension.
struct Tile {
  int64_t m = 0, n = 0, k = 0;
  /// Slices of K run on different cores and summed in FP32 (split-K; for
  /// attention, flash-decoding's split of the context). 1: no split.
  int64_t splitK = 1;
};

struct OpCost {
  double time = 0;        ///< seconds, launch included
  double flops = 0;       ///< useful FLOPs
  double paddedFlops = 0; ///< FLOPs the tensor units execute: the shape
                          ///< padded to whole tiles of whole mma
                          ///< instructions (what burns energy)
  double dramBytes = 0;   ///< bytes moved to and from DRAM
  double l2Bytes = 0;
  double sramBytes = 0;
  double waves = 0;       ///< tiles / cores (fractional)
  Tile tile;
  Bound bound = Bound::Compute;
  double computeTime = 0, dramTime = 0, l2Time = 0, sramTime = 0;
  dram::Pattern pattern;  ///< the DRAM access pattern of the tiling
  /// L2 reuse of the tiling: tile rows (panelM) and tile columns (panelN)
  /// whose operand panels are shared from L2; A is read from DRAM
  /// ceil(N / (tn * panelN)) times and B ceil(M / (tm * panelM)) times.
  int64_t panelM = 1, panelN = 1;
};

/// C[M, N] (+)= A[M, K] * B[K, N], `batch` independent times (batched GEMM
/// when batch > 1; B shared across the batch when `sharedB`).
struct GemmShape {
  int64_t m = 1, n = 1, k = 1, batch = 1;
  DType a = DType::BF16, b = DType::BF16, out = DType::BF16;
  bool sharedB = false;
};

OpCost gemm(const ChipIR &chip, const GemmShape &s, DramBandwidthFn dram);

/// The cost of \p s run with tile \p t (m, n, k and splitK), e.g. a tile a
/// user forced; gemm() is the cheapest of these over its candidate tiles.
OpCost gemmWithTile(const ChipIR &chip, const GemmShape &s, Tile t,
                    DramBandwidthFn dram);

/// Decode attention: `batch` sequences, one query token each, against a KV
/// cache of `context` tokens: FLOPs 4 * hq * d * ctx per sequence, bytes the
/// KV read 2 * hkv * d * ctx * b_kv (+ Q and O). Prefill and chunked
/// prefill: `queries` new tokens ending a context of `context` tokens,
/// causal: 4 * hq * d * (q * ctx - q^2 / 2) FLOPs (2 * hq * d * s^2 for a
/// prompt of s), flash-attention tiled (runtime/compute/Attention.cpp).
struct AttentionShape {
  int64_t batch = 1, headsQ = 1, headsKV = 1, headDim = 128;
  int64_t queries = 1;  ///< query tokens per sequence (1 in decode)
  int64_t context = 1;  ///< keys per sequence (prefill: = queries, causal)
  bool causal = false;
  /// K and V are the same cached tensor (MLA's compressed latent, read
  /// once per key).
  bool sharedKV = false;
  DType act = DType::BF16, kv = DType::BF16;
};

OpCost attention(const ChipIR &chip, const AttentionShape &s,
                 DramBandwidthFn dram);

/// An elementwise or reduction operator (norm, residual, RoPE, activation):
/// streams `bytes` through DRAM and does `flops` FP32 operations;
/// `writeFraction` of the bytes are writes (one tensor in, one out: 1/2).
OpCost vectorOp(const ChipIR &chip, double bytes, double flops,
                DramBandwidthFn dram, double writeFraction = 0.5);

/// Peak FLOP/s of the chip for a data type (the slower of two operands).
double peakFlops(const ChipIR &chip, DType a, DType b);

} // namespace compute
} // namespace ds

#endif
