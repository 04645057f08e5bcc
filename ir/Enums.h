//===- Enums.h - Enumerations of the language -------------------*- C++ -*-===//
//
// The enumerators follow the spelling order of Enums.def; the spellings are
// the source of truth for Sema, the printers and the docs.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_ENUMS_H
#define DEEPSTACK_IR_ENUMS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace ds {

enum class DType { FP32, TF32, BF16, FP16, FP8, INT8, INT4, FP4 };
enum class Phase { Prefill, Decode, Both };
enum class Overlap { None, Layer, Tile };
enum class VerticalLink { TSV, HybridBond };
enum class DramMode { Simple, Detailed };
enum class Algorithm {
  Auto,
  Ring,
  RecursiveDoubling,
  HalvingDoubling,
  Rabenseifner,
  DoubleBinaryTree,
  Direct,
  Pairwise,
  DimensionOrdered,
  Hierarchical
};
enum class TopologyKind { Switch, Ring, Chain, Mesh, Torus, FullMesh };
enum class Spread { Even, Nearest };
enum class RefreshMode { AllBank, PerBank, None };
enum class Bool { False, True };

/// Spellings and description of one enumeration.
struct EnumInfo {
  llvm::StringRef what;
  llvm::ArrayRef<const char *> spellings;
};

enum class EnumId {
#define ENUM(Type, What, Spellings) Type,
#include "ir/Enums.def"
};

const EnumInfo &enumInfo(EnumId id);

/// Index of \p spelling in the enumeration, or 0 when absent (Sema has
/// checked every spelling before IR is built).
unsigned enumIndex(EnumId id, llvm::StringRef spelling);

/// Bytes per element of a data type (fp4/int4 are half a byte).
double dtypeBytes(DType t);

template <typename E> llvm::StringRef spelling(EnumId id, E value) {
  return enumInfo(id).spellings[static_cast<unsigned>(value)];
}

} // namespace ds

#endif
