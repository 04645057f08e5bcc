//===- Schema.h - A kind of reference file ----------------------*- C++ -*-===//
//
// Each kind of reference file (DESIGN.md 7: serving, collectives, kernels,
// DRAM) is a schema: the columns that identify it and a function that turns
// each row into a measured and a predicted value. validateFiles picks the
// schema by the header and does the rest (table, error statistics, summary)
// the same way for all of them.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_VALIDATE_SCHEMA_H
#define DEEPSTACK_RUNTIME_VALIDATE_SCHEMA_H

#include "frontend/Diagnostics.h"
#include "runtime/validate/Csv.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <string>

namespace ds {

/// One row of a reference file, evaluated.
struct ReferenceRow {
  unsigned line = 0;
  std::string key;     ///< the row's key columns, aligned under keyHeader
  double measured = 0; ///< the target column
  double predicted = 0;
  std::string note; ///< e.g. the limit that binds
};

/// Turns one row of \p table into \p out. A value that cannot be
/// understood is reported at its location; the function then returns false
/// (validateFiles goes on with the other rows).
using EvaluateRowFn = bool (*)(const CsvTable &table, const CsvRow &row,
                               DiagEngine &diags, ReferenceRow &out);

struct ReferenceSchema {
  const char *name;                     ///< e.g. "dram"
  llvm::ArrayRef<const char *> columns; ///< every column a file must have
  const char *keyHeader;                ///< titles of ReferenceRow::key
  const char *target;                   ///< the measured column, with unit
  const char *noteHeader;               ///< title of ReferenceRow::note
  EvaluateRowFn evaluate;
};

} // namespace ds

#endif
