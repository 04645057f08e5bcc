//===- Validate.h - Model error against reference measurements --*- C++ -*-===//
//
// `deepstack validate FILE.csv...` (DESIGN.md 7): recognise each file by its
// header, turn every row into a model input, evaluate, print the row's key
// columns with measured, predicted and signed error, and end each file with
//   validate: FILE rows=N mape=X.XX% max=Y.YY%
// A file or row that cannot be understood is a located error
// (file:line:col), never a skipped row.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_VALIDATE_VALIDATE_H
#define DEEPSTACK_RUNTIME_VALIDATE_VALIDATE_H

#include "frontend/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace ds {

struct ReferenceSchema;
using ReferenceSchemaFn = const ReferenceSchema &(*)();

/// Adds a schema (tried after the built-in DRAM and collectives ones).
void registerReferenceSchema(ReferenceSchemaFn fn);

/// Validates every file; returns false after any error (already reported).
bool validateFiles(llvm::ArrayRef<std::string> files, DiagEngine &diags,
                   llvm::raw_ostream &out);

} // namespace ds

#endif
