//===- Csv.h - Comma-separated reference tables -----------------*- C++ -*-===//
//
// The reference files are plain CSV: a header row naming the columns, then
// one row per measurement, fields split on ',' (not inside double quotes or
// parentheses, so torus(4,4) is one field). Fields are
// views into the source buffer, so a diagnostic can point at the exact
// value (file:line:col).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_VALIDATE_CSV_H
#define DEEPSTACK_RUNTIME_VALIDATE_CSV_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <vector>

namespace ds {

/// One line of a CSV file split into fields.
struct CsvRow {
  unsigned line = 0;    ///< 1-based line in the file
  llvm::StringRef text; ///< the whole line, without its line break
  llvm::SmallVector<llvm::StringRef, 48> fields; ///< trimmed of blanks

  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(text.data()); }
};

/// A header and its rows.
class CsvTable {
public:
  /// Splits \p buffer into lines ("\n" or "\r\n"; a final line break is
  /// optional; blank lines are ignored) and the lines into fields. The first
  /// line is the header; a UTF-8 byte-order mark before it is skipped.
  /// \p buffer must outlive the table.
  static CsvTable parse(llvm::StringRef buffer);

  /// False when the buffer holds no line at all.
  bool hasHeader() const { return headerRow.line != 0; }
  const CsvRow &header() const { return headerRow; }
  llvm::ArrayRef<CsvRow> rows() const { return body; }

  /// The index of column \p name, or -1.
  int column(llvm::StringRef name) const;

private:
  CsvRow headerRow;
  std::vector<CsvRow> body;
  llvm::StringMap<unsigned> index;
};

} // namespace ds

#endif
