//===- Enums.cpp - Enumerations of the language ---------------------------===//
#include "ir/Enums.h"

using namespace ds;

namespace {
#define ENUM(Type, What, List)                                                 \
  const char *const k##Type##Spellings[] = SPELLINGS_UNWRAP List;
#define SPELLINGS_UNWRAP(...) __VA_ARGS__
#include "ir/Enums.def"
#undef SPELLINGS_UNWRAP

const EnumInfo kEnums[] = {
#define ENUM(Type, What, List) {What, k##Type##Spellings},
#include "ir/Enums.def"
};
} // namespace

const EnumInfo &ds::enumInfo(EnumId id) {
  return kEnums[static_cast<unsigned>(id)];
}

double ds::dtypeBytes(DType t) {
  switch (t) {
  case DType::FP32:
  case DType::TF32:
    return 4;
  case DType::BF16:
  case DType::FP16:
    return 2;
  case DType::FP8:
  case DType::INT8:
    return 1;
  case DType::INT4:
  case DType::FP4:
    return 0.5;
  }
  return 2;
}

unsigned ds::enumIndex(EnumId id, llvm::StringRef spelling) {
  llvm::ArrayRef<const char *> all = enumInfo(id).spellings;
  for (unsigned i = 0; i < all.size(); ++i)
    if (spelling == all[i])
      return i;
  return 0;
}
