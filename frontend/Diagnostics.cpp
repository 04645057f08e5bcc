//===- Diagnostics.cpp - Located diagnostics through SourceMgr ------------===//
#include "frontend/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/WithColor.h"

using namespace ds;

namespace {
const DiagInfo kDiags[] = {
#define DIAG(Kind, Sev, Format) {#Kind, Severity::Sev, Format},
#include "frontend/Diagnostics.def"
};
} // namespace

const DiagInfo &ds::diagInfo(DiagKind kind) {
  return kDiags[static_cast<unsigned>(kind)];
}

llvm::ArrayRef<DiagInfo> ds::allDiagInfos() { return kDiags; }

void DiagEngine::emit(llvm::SMRange range, DiagKind kind,
                      const std::string &message) {
  const DiagInfo &info = diagInfo(kind);
  if (limitHit)
    return;
  // Notes belong to the diagnostic before them: drop them with it.
  if (info.severity == Severity::Note && lastSuppressed)
    return;
  // The same error at the same place is reported once: an inherited field
  // is evaluated in every declaration that extends it.
  if (info.severity != Severity::Note) {
    auto key = std::make_pair(range.Start.getPointer(), message);
    if (!seen.insert(key).second) {
      lastSuppressed = true;
      return;
    }
  }
  if (info.severity == Severity::Error && errorLimit && errors >= errorLimit) {
    limitHit = true;
    lastSuppressed = true;
    ++errors;
    const DiagInfo &stop = diagInfo(DiagKind::TooManyErrors);
    llvm::WithColor::error(os, "deepstack")
        << stop.format << (showKind ? std::string(" [") + stop.name + "]" : "")
        << "\n";
    return;
  }
  lastSuppressed = false;
  if (info.severity == Severity::Error)
    ++errors;

  std::string text = message;
  if (range.Start.isValid()) {
    unsigned id = sm.FindBufferContainingLoc(range.Start);
    if (id && llvm::is_contained(synthetic, id)) {
      range = redirectRange;
      text += redirectContext;
    }
  }
  if (quiet) {
    if (info.severity == Severity::Error) {
      if (captured.empty()) {
        captured = text;
        capturingNotes = true;
      } else {
        capturingNotes = false;
      }
    } else if (info.severity == Severity::Note && capturingNotes) {
      captured += " (" + text + ")";
    }
    return;
  }
  if (showKind)
    text += std::string(" [") + info.name + "]";

  llvm::SourceMgr::DiagKind smKind = llvm::SourceMgr::DK_Error;
  if (info.severity == Severity::Warning)
    smKind = llvm::SourceMgr::DK_Warning;
  else if (info.severity == Severity::Note)
    smKind = llvm::SourceMgr::DK_Note;

  llvm::SMLoc loc = range.Start;
  if (!loc.isValid() || !sm.FindBufferContainingLoc(loc)) {
    // No source position (command line, internal limits): say who speaks.
    os << "deepstack: "
       << (smKind == llvm::SourceMgr::DK_Note
               ? "note: "
               : smKind == llvm::SourceMgr::DK_Warning ? "warning: "
                                                       : "error: ")
       << text << "\n";
    return;
  }
  llvm::SmallVector<llvm::SMRange, 1> ranges;
  // A one-character range prints just the caret; longer ones add ~~~.
  if (range.End.isValid() && range.End.getPointer() > loc.getPointer() + 1)
    ranges.push_back(range);
  sm.PrintMessage(os, loc, smKind, text, ranges);
}

void DiagEngine::resetErrors() {
  errors = 0;
  limitHit = false;
  lastSuppressed = false;
  capturingNotes = false;
  seen.clear();
  captured.clear();
}

void DiagEngine::suggest(llvm::SMRange range, llvm::StringRef suggestion) {
  if (!suggestion.empty())
    report(range, DiagKind::DidYouMean, suggestion);
}

std::string ds::closestName(llvm::StringRef name,
                            llvm::ArrayRef<std::string> candidates) {
  // Allow about one edit per three characters, at least one, at most three.
  unsigned limit = std::max<unsigned>(1, std::min<unsigned>(3, name.size() / 3));
  unsigned best = limit + 1;
  std::string found;
  for (const std::string &c : candidates) {
    if (c == name)
      continue;
    unsigned d = name.edit_distance(c, true, limit);
    if (name.equals_insensitive(c))
      d = 0;
    if (d < best) {
      best = d;
      found = c;
    }
  }
  return found;
}
