//===- ReportMemory.cpp - The memory part of deepstack report -------------===//
#include "tools/ReportMemory.h"

#include "tools/Commands.h"
#include "frontend/Units.h"
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

bool bad(DiagEngine &diags, std::string message) {
  diags.report(llvm::SMLoc(), DiagKind::BadOption, message);
  return false;
}

/// \p text as a number from 0 to 1, or an error naming \p option.
bool fraction(DiagEngine &diags, llvm::StringRef option, llvm::StringRef text,
              double &out) {
  if (!text.trim().getAsDouble(out) && out >= 0 && out <= 1)
    return true;
  return bad(diags, fmt::format("--{}: expected a number from 0 to 1, found "
                                "'{}'",
                                option.str(), text.str()));
}

/// \p text as a whole number from 1 to \p most (a count, or bytes when
/// \p bytes: "64B", "4KiB"), or an error naming \p option.
bool whole(DiagEngine &diags, llvm::StringRef option, llvm::StringRef text,
           double most, bool bytes, double &out) {
  bool ok = bytes ? parseBytes(text, out) : !text.trim().getAsDouble(out);
  if (ok && std::isfinite(out) && out >= 1 && out <= most &&
      out == std::floor(out))
    return true;
  std::string range =
      bytes ? fmt::format("a whole number of bytes from 1 B to {} (such as "
                          "64B or 4KiB)",
                          formatQuantity(most, Dim::bytes()))
            : fmt::format("a whole number from 1 to {:.0f}", most);
  return bad(diags, fmt::format("--{}: expected {}, found '{}'", option.str(),
                                range, text.str()));
}

/// Set on the command line, even empty ("--request=" is an error, not the
/// default).
bool given(const cl::opt<std::string> &o) { return o.getNumOccurrences() > 0; }
} // namespace

bool tool::requestedPatterns(DiagEngine &diags, const MemoryIR &m,
                             bool showsMemory,
                             std::vector<PatternReport> &out) {
  out.clear();
  const cl::opt<std::string> *parameters[] = {
      &patternParamOpt, &requestOpt, &writeFracOpt, &outstandingOpt,
      &rowHitOpt};
  if (!given(patternOpt)) {
    for (const cl::opt<std::string> *o : parameters)
      if (given(*o))
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
  if (hasParam != given(patternParamOpt))
    return bad(diags,
               hasParam ? fmt::format("--pattern={} needs --pattern-param",
                                      patternOpt.getValue())
                        : fmt::format("--pattern={} takes no --pattern-param",
                                      patternOpt.getValue()));
  // A channel's banks: its ranks' (dies behind one port) times each's.
  dram::Device device = dram::deviceFor(m, kBareMemoryKelvin);
  double banks = double(device.ranks) * device.bankGroups * device.banksPerGroup;
  constexpr double kMostBytes = 1ull << 40; // 1 TiB
  bool ok = true;
  if (p.kind == dram::PatternKind::Stride)
    ok = whole(diags, "pattern-param", patternParamOpt, kMostBytes, true,
               p.param);
  else if (p.kind == dram::PatternKind::RowLocal)
    ok = fraction(diags, "pattern-param", patternParamOpt, p.param);
  else if (p.kind == dram::PatternKind::Banks)
    ok = whole(diags, "pattern-param", patternParamOpt, banks, false, p.param);
  p.requestBytes = 4 * m.sector;
  if (ok && given(requestOpt))
    ok = whole(diags, "request", requestOpt, kMostBytes, true, p.requestBytes);
  if (ok && given(writeFracOpt))
    ok = fraction(diags, "write-frac", writeFracOpt, p.writeFraction);
  p.outstanding = kAllInFlight;
  if (ok && given(outstandingOpt))
    ok = whole(diags, "outstanding", outstandingOpt, 1e6, false,
               p.outstanding);
  if (ok && given(rowHitOpt))
    ok = fraction(diags, "row-hit", rowHitOpt, p.rowHitRate);
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
    bad(c.diags(), fmt::format("--emit=csv is for a design's metrics; '{}' is "
                               "a memory",
                               m.name));
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
