//===- Validate.cpp - Model error against reference measurements ----------===//
//
// Loads each file into the SourceMgr (so every error is located), finds its
// schema by the header, checks that every row has one field per column,
// lets the schema evaluate the rows and prints the table and the summary.
//
//===----------------------------------------------------------------------===//
#include "runtime/validate/Validate.h"

#include "runtime/validate/CollectivesReference.h"
#include "runtime/validate/DramReference.h"
#include "runtime/validate/Schema.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
/// Every kind of reference file, tried in order; the first whose columns
/// are all in a file's header is the file's schema.
/// The schemas of this library; tools add those built on the passes.
std::vector<ReferenceSchemaFn> &schemas() {
  static std::vector<ReferenceSchemaFn> s = {dramReferenceSchema,
                                             collectivesReferenceSchema};
  return s;
}

/// Missing columns listed in the note about the closest schema.
constexpr size_t kMissingColumnsShown = 6;

llvm::SMRange rangeOf(llvm::StringRef text) {
  return llvm::SMRange(llvm::SMLoc::getFromPointer(text.data()),
                       llvm::SMLoc::getFromPointer(text.end()));
}

/// The schema of \p t, or null after reporting why none fits.
const ReferenceSchema *identify(const CsvTable &t, llvm::StringRef file,
                                DiagEngine &diags) {
  const ReferenceSchema *closest = nullptr;
  llvm::SmallVector<llvm::StringRef, 8> closestMissing;
  std::string known;
  for (ReferenceSchemaFn fn : schemas()) {
    const ReferenceSchema &s = fn();
    llvm::SmallVector<llvm::StringRef, 8> missing;
    for (const char *c : s.columns)
      if (t.column(c) < 0)
        missing.push_back(c);
    if (missing.empty())
      return &s;
    known += (known.empty() ? "" : ", ") + std::string(s.name);
    if (!closest || missing.size() < closestMissing.size()) {
      closest = &s;
      closestMissing = std::move(missing);
    }
  }
  llvm::SMLoc header = t.header().loc();
  diags.report(header, DiagKind::UnknownCsvSchema, file, known);
  // When the file is nearly of a schema, say what it lacks and where a
  // column looks renamed.
  if (closest && closestMissing.size() * 4 <= closest->columns.size()) {
    std::string list = llvm::join(
        llvm::makeArrayRef(closestMissing)
            .take_front(std::min(closestMissing.size(), kMissingColumnsShown)),
        ", ");
    if (closestMissing.size() > kMissingColumnsShown)
      list += fmt::format(" and {} more",
                          closestMissing.size() - kMissingColumnsShown);
    diags.report(header, DiagKind::CsvMissingColumns, closest->name, list);
    std::vector<std::string> missing(closestMissing.begin(),
                                     closestMissing.end());
    for (llvm::StringRef field : t.header().fields)
      if (!llvm::is_contained(closest->columns, field))
        diags.suggest(rangeOf(field), closestName(field, missing));
  }
  return nullptr;
}

/// Every row must have one field per column: a stray or missing comma
/// would shift every later value into the wrong column.
bool checkFieldCounts(const CsvTable &t, DiagEngine &diags) {
  bool ok = true;
  size_t columns = t.header().fields.size();
  for (const CsvRow &row : t.rows()) {
    if (row.fields.size() == columns)
      continue;
    // At the first field too many, or at the end of a short row.
    llvm::StringRef at = row.fields.size() > columns
                             ? row.fields[columns]
                             : row.text.substr(row.text.size());
    diags.report(llvm::SMLoc::getFromPointer(at.data()),
                 DiagKind::CsvColumnCount, row.fields.size(), columns);
    ok = false;
    if (diags.stopped())
      break;
  }
  return ok;
}

void printTable(const ReferenceSchema &s, llvm::StringRef file,
                llvm::ArrayRef<ReferenceRow> rows, llvm::raw_ostream &out) {
  out << fmt::format("# {}: {} schema, {} measured and predicted\n", file.str(),
                     s.name, s.target);
  out << fmt::format("{:>5}  {}  {:>10} {:>10} {:>8}  {}\n", "line",
                     s.keyHeader, "measured", "predicted", "error",
                     s.noteHeader);
  double sum = 0, worst = 0;
  for (const ReferenceRow &r : rows) {
    double error = 100 * (r.predicted / r.measured - 1);
    sum += std::fabs(error);
    worst = std::max(worst, std::fabs(error));
    out << fmt::format("{:>5}  {}  {:>10.3f} {:>10.3f} {:>+7.2f}%  {}\n",
                       r.line, r.key, r.measured, r.predicted, error, r.note);
  }
  out << fmt::format("validate: {} rows={} mape={:.2f}% max={:.2f}%\n",
                     file.str(), rows.size(), sum / rows.size(), worst);
}

bool validateFile(const std::string &file, DiagEngine &diags,
                  llvm::raw_ostream &out) {
  if (llvm::sys::fs::is_directory(file)) {
    diags.report(llvm::SMLoc(), DiagKind::CannotOpenFile, file,
                 "is a directory");
    return false;
  }
  auto buf = llvm::MemoryBuffer::getFile(file, /*IsText=*/true);
  if (!buf) {
    diags.report(llvm::SMLoc(), DiagKind::CannotOpenFile, file,
                 buf.getError().message());
    return false;
  }
  llvm::SourceMgr &sm = diags.sourceMgr();
  unsigned id = sm.AddNewSourceBuffer(std::move(*buf), llvm::SMLoc());
  llvm::StringRef text = sm.getMemoryBuffer(id)->getBuffer();
  CsvTable table = CsvTable::parse(text);
  if (!table.hasHeader() || table.rows().empty()) {
    diags.report(table.hasHeader() ? table.header().loc() : llvm::SMLoc(),
                 DiagKind::CsvNoRows, file);
    return false;
  }
  const ReferenceSchema *schema = identify(table, file, diags);
  if (!schema || !checkFieldCounts(table, diags))
    return false;
  // Every row is evaluated (so one run reports every bad value) unless the
  // error limit stops it; any bad row fails the file.
  llvm::SmallVector<ReferenceRow, 64> rows;
  bool ok = true;
  for (const CsvRow &row : table.rows()) {
    ReferenceRow r;
    if (schema->evaluate(table, row, diags, r))
      rows.push_back(std::move(r));
    else
      ok = false;
    if (diags.stopped())
      return false;
  }
  if (!ok)
    return false;
  printTable(*schema, file, rows, out);
  return true;
}
} // namespace

void ds::registerReferenceSchema(ReferenceSchemaFn fn) {
  if (!llvm::is_contained(schemas(), fn))
    schemas().push_back(fn);
}

bool ds::validateFiles(llvm::ArrayRef<std::string> files, DiagEngine &diags,
                       llvm::raw_ostream &out) {
  bool ok = true;
  for (const std::string &f : files) {
    ok &= validateFile(f, diags, out);
    if (diags.stopped())
      return false;
  }
  return ok;
}
