//===- ReportMemory.cpp - The memory part of deepstack report -------------===//
#include "tools/ReportMemory.h"

#include "tools/Commands.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <fmt/format.h>

using namespace ds;
using namespace ds::tool;
namespace cl = llvm::cl;

namespace {
cl::opt<std::string> patternOpt(
    "pattern",
    cl::desc("Show the memory under one access pattern: seq, random, stride, "
             "rowloc or banks"),
    cl::value_desc("kind"), cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> patternParamOpt(
    "pattern-param",
    cl::desc("Its parameter: the stride (stride, a size), the chance a "
             "request stays in the open row (rowloc), the banks used (banks)"),
    cl::value_desc("value"), cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> requestOpt(
    "request",
    cl::desc("Its request size (default: an L2 line of 4 sectors)"),
    cl::value_desc("size"), cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> writeFracOpt(
    "write-frac", cl::desc("Its share of writes, 0 to 1 (default 0)"),
    cl::value_desc("fraction"), cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> outstandingOpt(
    "outstanding",
    cl::desc("Its requests in flight per channel (default: as many as the "
             "controller buffer holds)"),
    cl::value_desc("n"), cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> rowHitOpt(
    "row-hit",
    cl::desc("Its measured row-buffer hit rate, 0 to 1 (default: estimated "
             "from the pattern)"),
    cl::value_desc("fraction"), cl::sub(reportCmd), cl::cat(category()));

enum class Range { Fraction, Whole, Positive };

/// \p text as a number in \p range, or an error naming \p option.
bool number(DiagEngine &diags, llvm::StringRef option, llvm::StringRef text,
            Range range, double &out) {
  bool ok = !text.trim().getAsDouble(out) && std::isfinite(out);
  const char *want = "a number above 0";
  switch (range) {
  case Range::Fraction:
    ok = ok && out >= 0 && out <= 1;
    want = "a number from 0 to 1";
    break;
  case Range::Whole:
    ok = ok && out >= 1 && out == std::floor(out) && out < kAllInFlight;
    want = "a whole number from 1";
    break;
  case Range::Positive:
    ok = ok && out > 0;
    break;
  }
  if (!ok)
    diags.report(llvm::SMLoc(), DiagKind::BadOption,
                 fmt::format("--{}: expected {}, found '{}'", option.str(),
                             want, text.str()));
  return ok;
}

bool size(DiagEngine &diags, llvm::StringRef option, llvm::StringRef text,
          double &out) {
  if (parseBytes(text, out) && out > 0)
    return true;
  diags.report(llvm::SMLoc(), DiagKind::BadOption,
               fmt::format("--{}: expected a size above 0 such as 64B or "
                           "4KiB, found '{}'",
                           option.str(), text.str()));
  return false;
}

bool bad(DiagEngine &diags, std::string message) {
  diags.report(llvm::SMLoc(), DiagKind::BadOption, message);
  return false;
}
} // namespace

bool tool::requestedPatterns(DiagEngine &diags, const MemoryIR &m,
                             bool showsMemory,
                             std::vector<PatternReport> &out) {
  out.clear();
  const cl::opt<std::string> *parameters[] = {
      &patternParamOpt, &requestOpt, &writeFracOpt, &outstandingOpt,
      &rowHitOpt};
  if (patternOpt.empty()) {
    for (const cl::opt<std::string> *o : parameters)
      if (o->getNumOccurrences())
        return bad(diags, fmt::format("--{} needs --pattern",
                                      o->ArgStr.str()));
    return true;
  }
  if (!showsMemory)
    return bad(diags, "--pattern needs a report that shows the memory: "
                      "--component=memory (or chip)");

  dram::Pattern p;
  llvm::ArrayRef<const char *> kinds = dram::patternKindSpellings();
  auto it = llvm::find_if(kinds, [](const char *k) { return patternOpt == k; });
  if (it == kinds.end())
    return bad(diags, fmt::format("--pattern: unknown pattern '{}'; expected "
                                  "seq, random, stride, rowloc or banks",
                                  patternOpt.getValue()));
  p.kind = dram::PatternKind(it - kinds.begin());
  bool hasParam = p.kind == dram::PatternKind::Stride ||
                  p.kind == dram::PatternKind::RowLocal ||
                  p.kind == dram::PatternKind::Banks;
  if (hasParam != !patternParamOpt.empty())
    return bad(diags,
               hasParam ? fmt::format("--pattern={} needs --pattern-param",
                                      patternOpt.getValue())
                        : fmt::format("--pattern={} takes no --pattern-param",
                                      patternOpt.getValue()));
  bool ok = true;
  if (p.kind == dram::PatternKind::Stride)
    ok = size(diags, "pattern-param", patternParamOpt, p.param);
  else if (p.kind == dram::PatternKind::RowLocal)
    ok = number(diags, "pattern-param", patternParamOpt, Range::Fraction,
                p.param);
  else if (p.kind == dram::PatternKind::Banks)
    ok = number(diags, "pattern-param", patternParamOpt, Range::Whole, p.param);
  p.requestBytes = 4 * m.sector;
  if (ok && !requestOpt.empty())
    ok = size(diags, "request", requestOpt, p.requestBytes);
  if (ok && !writeFracOpt.empty())
    ok = number(diags, "write-frac", writeFracOpt, Range::Fraction,
                p.writeFraction);
  p.outstanding = kAllInFlight;
  if (ok && !outstandingOpt.empty())
    ok = number(diags, "outstanding", outstandingOpt, Range::Whole,
                p.outstanding);
  if (ok && !rowHitOpt.empty())
    ok = number(diags, "row-hit", rowHitOpt, Range::Fraction, p.rowHitRate);
  if (!ok)
    return false;
  out.push_back({describePattern(p), p, {}});
  return true;
}

const MemoryIR *tool::pickBareMemory(Compilation &c,
                                     llvm::StringRef designName,
                                     bool &failed) {
  const Module &m = *c.module();
  failed = false;
  if (!designName.empty()) {
    auto named = [&](const auto &decls) {
      return llvm::any_of(decls,
                          [&](const auto &d) { return d.name == designName; });
    };
    if (named(m.designs) || named(m.chips))
      return nullptr;
    for (const MemoryIR &x : m.memories)
      if (x.name == designName)
        return &x;
    return nullptr;
  }
  std::vector<const MemoryIR *> memories;
  for (const DeclIR *d : m.mainFileDecls) {
    if (llvm::any_of(m.designs, [&](const DesignIR &x) { return &x == d; }) ||
        llvm::any_of(m.chips, [&](const ChipIR &x) { return &x == d; }))
      return nullptr;
    for (const MemoryIR &x : m.memories)
      if (&x == d)
        memories.push_back(&x);
  }
  if (memories.size() > 1) {
    c.diags().report(memories[1]->loc, DiagKind::ChooseDesign,
                     mainFileName(c),
                     std::to_string(memories.size()) + " memories");
    failed = true;
    return nullptr;
  }
  return memories.empty() ? nullptr : memories[0];
}

int tool::runMemoryReport(Compilation &c, const MemoryIR &m, Component shown,
                          ReportFormat format, const std::string &outputFile) {
  if (shown != Component::Memory && shown != Component::All) {
    bad(c.diags(), fmt::format("'{}' is a memory: only --component=memory "
                               "applies",
                               m.name));
    return 1;
  }
  if (format == ReportFormat::CSV) {
    bad(c.diags(), "--emit=csv is for a design's report (no --component)");
    return 1;
  }
  std::vector<PatternReport> patterns;
  if (!requestedPatterns(c.diags(), m, true, patterns))
    return 1;
  MemoryReport r = evaluateMemory(
      m, kBareMemoryKelvin, dram::Vantage::Controller,
      patterns.empty() ? referencePatterns(m) : std::move(patterns));
  std::string text;
  llvm::raw_string_ostream os(text);
  if (format == ReportFormat::JSON) {
    llvm::json::OStream j(os, 2);
    j.object([&] { writeMemoryJSON(r, j); });
    os << "\n";
  } else {
    printMemoryReport(r, os);
  }
  os.flush();
  return writeOutput(c.diags(), text, outputFile) ? 0 : 1;
}
