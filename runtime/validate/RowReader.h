//===- RowReader.h - Checked fields of a reference row ----------*- C++ -*-===//
//
// Reads one CSV row's columns, each with a check; every bad value is
// reported at its line:col, so one run shows all that is wrong with a row.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_VALIDATE_ROWREADER_H
#define DEEPSTACK_RUNTIME_VALIDATE_ROWREADER_H

#include "frontend/Diagnostics.h"
#include "runtime/validate/Csv.h"

#include <cmath>

namespace ds {

enum class RowCheck { Positive, NonNegative, Whole, Fraction };

inline const char *expectation(RowCheck c) {
  switch (c) {
  case RowCheck::Positive:
    return "a positive number";
  case RowCheck::NonNegative:
    return "a number >= 0";
  case RowCheck::Whole:
    return "a whole number >= 1";
  case RowCheck::Fraction:
    return "a number from 0 to 1";
  }
  return "";
}

/// The fields of one row, each read with a check. Every bad value is
/// reported, so one run shows all that is wrong with a row.
class RowReader {
public:
  RowReader(const CsvTable &t, const CsvRow &row, DiagEngine &diags)
      : table(t), row(row), diags(diags) {}

  bool ok() const { return good; }

  llvm::StringRef field(llvm::StringRef column) const {
    int i = table.column(column);
    return i < 0 || unsigned(i) >= row.fields.size() ? llvm::StringRef()
                                                     : row.fields[i];
  }

  double number(llvm::StringRef column, RowCheck check) {
    llvm::StringRef text = field(column);
    double v = 0;
    if (text.getAsDouble(v) || !std::isfinite(v) || !passes(v, check)) {
      bad(column, text, expectation(check));
      return 0;
    }
    return v;
  }

  /// An optional number: \p absent when the column is missing or empty.
  double optional(llvm::StringRef column, RowCheck check, double absent) {
    return field(column).empty() ? absent : number(column, check);
  }

  /// The index of the field's spelling in \p spellings.
  unsigned choice(llvm::StringRef column,
                  llvm::ArrayRef<const char *> spellings) {
    llvm::StringRef text = field(column);
    for (unsigned i = 0; i < spellings.size(); ++i)
      if (text == spellings[i])
        return i;
    std::string expected = "one of ";
    for (unsigned i = 0; i < spellings.size(); ++i)
      expected += (i ? ", " : "") + std::string(spellings[i]);
    bad(column, text, expected);
    return 0;
  }

  void bad(llvm::StringRef column, llvm::StringRef text,
           llvm::StringRef expected) {
    good = false;
    llvm::SMLoc at = llvm::SMLoc::getFromPointer(text.data());
    diags.report(llvm::SMRange(at, llvm::SMLoc::getFromPointer(text.end())),
                 DiagKind::BadCsvValue, column, expected, text);
  }

private:
  static bool passes(double v, RowCheck c) {
    switch (c) {
    case RowCheck::Positive:
      return v > 0;
    case RowCheck::NonNegative:
      return v >= 0;
    case RowCheck::Whole:
      return v >= 1 && v == std::floor(v);
    case RowCheck::Fraction:
      return v >= 0 && v <= 1;
    }
    return false;
  }

  const CsvTable &table;
  const CsvRow &row;
  DiagEngine &diags;
  bool good = true;
};

} // namespace ds

#endif
