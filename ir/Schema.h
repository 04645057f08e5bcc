//===- Schema.h - Field tables of every declaration kind --------*- C++ -*-===//
//
// One table per kind (ir/fields/<Kind>.def) is the single source of truth for
// the IR structs, Sema's checks, the defaults and docs/fields.md.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_IR_SCHEMA_H
#define DEEPSTACK_IR_SCHEMA_H

#include "frontend/Units.h"
#include "ir/Enums.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace ds {

enum class DeclKind {
#define KIND(Id, Keyword, Doc) Id,
#include "ir/Kinds.def"
};

enum class FieldType { Int, Real, Enum, Ref, Topo };

/// Range rule of a numeric field.
enum class Check { Any, Pos, NonNeg, Fraction };

struct FieldSchema {
  llvm::StringRef path; ///< dotted: "timing.tRCD"
  FieldType type;
  Dim dim;
  Check check;
  llvm::StringRef defaultText; ///< a .ds expression; empty = required
  llvm::StringRef doc;
  EnumId enumId;    ///< for Enum
  DeclKind refKind; ///< for Ref

  bool required() const { return defaultText.empty(); }
};

struct BlockSchema {
  llvm::StringRef path;
  llvm::StringRef doc;
};

/// A constraint between fields, written as a .ds boolean expression.
struct CheckSchema {
  llvm::StringRef expr;
  llvm::StringRef message;
};

struct KindSchema {
  DeclKind kind;
  llvm::StringRef keyword;
  llvm::StringRef doc;
  llvm::ArrayRef<FieldSchema> fields;
  llvm::ArrayRef<BlockSchema> blocks;
  llvm::ArrayRef<CheckSchema> checks;

  const FieldSchema *findField(llvm::StringRef path) const;
  bool isBlock(llvm::StringRef path) const;
};

const KindSchema &kindSchema(DeclKind kind);
llvm::ArrayRef<KindSchema> allKindSchemas();
llvm::Optional<DeclKind> kindFromKeyword(llvm::StringRef keyword);
llvm::StringRef kindKeyword(DeclKind kind);

/// Describes the expected value of a field for messages: "a bandwidth (e.g.
/// GB/s)", "a whole number", "one of prefill, decode, both".
std::string describeFieldType(const FieldSchema &f);

/// Describes the range rule: "positive", "at least 0", "in (0, 1]".
llvm::StringRef describeCheck(Check c);

struct MetricSchema {
  llvm::StringRef name;
  Dim dim;
  llvm::StringRef doc;
};
llvm::ArrayRef<MetricSchema> allMetrics();
const MetricSchema *findMetric(llvm::StringRef name);

/// Prints the field reference (docs/fields.md) from the tables.
void printSchemaMarkdown(llvm::raw_ostream &os);

} // namespace ds

#endif
