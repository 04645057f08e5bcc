//===- Diagnostics.h - Located diagnostics through SourceMgr ----*- C++ -*-===//
//
// Every phase reports through one DiagEngine so messages look like clang's:
// `file:line:col: error: message`, the source line, and a caret range under
// the exact token. Kinds and formats live in Diagnostics.def.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_DIAGNOSTICS_H
#define DEEPSTACK_FRONTEND_DIAGNOSTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <set>
#include <string>

namespace ds {

enum class DiagKind {
#define DIAG(Kind, Severity, Format) Kind,
#include "frontend/Diagnostics.def"
};

enum class Severity { Error, Warning, Note };

struct DiagInfo {
  const char *name;
  Severity severity;
  const char *format;
};
const DiagInfo &diagInfo(DiagKind kind);
llvm::ArrayRef<DiagInfo> allDiagInfos();

class DiagEngine {
public:
  explicit DiagEngine(llvm::SourceMgr &sm, llvm::raw_ostream &os = llvm::errs())
      : sm(sm), os(os) {}

  template <typename... Ts>
  void report(llvm::SMRange range, DiagKind kind, Ts &&...args) {
    emit(range, kind,
         llvm::formatv(diagInfo(kind).format, std::forward<Ts>(args)...)
             .str());
  }
  template <typename... Ts>
  void report(llvm::SMLoc loc, DiagKind kind, Ts &&...args) {
    report(llvm::SMRange(loc, loc), kind, std::forward<Ts>(args)...);
  }

  /// Emits a did-you-mean note when \p suggestion is not empty.
  void suggest(llvm::SMRange range, llvm::StringRef suggestion);

  unsigned errorCount() const { return errors; }
  bool hadError() const { return errors != 0; }
  /// True once the error limit was hit; callers stop their loops.
  bool stopped() const { return limitHit; }

  /// Locations inside synthetic buffers (schema defaults and checks have no
  /// user source) are reported at the redirect range, with \p context
  /// appended, e.g. " (default of 'head_dim': hidden / heads)".
  void addSyntheticBuffer(unsigned id) { synthetic.push_back(id); }
  void setRedirect(llvm::SMRange range, std::string context) {
    redirectRange = range;
    redirectContext = std::move(context);
  }
  void clearRedirect() { setRedirect({}, ""); }

  void setShowKind(bool show) { showKind = show; }
  /// Quiet engines print nothing; they count errors and keep the first
  /// error's message (with the notes right after it) for firstError().
  /// Sweep points fail by the thousand and are reported as one line each.
  void setQuiet(bool quiet) { this->quiet = quiet; }
  /// The first error since the last resetErrors(), one line, no location:
  /// "message (note) (note)". Empty when there was none or the engine is
  /// loud.
  const std::string &firstError() const { return captured; }
  /// Forgets every error so far (count, limit, duplicates, firstError()),
  /// so that one engine can judge many independent attempts.
  void resetErrors();
  /// Stop after \p limit errors; 0 means no limit.
  void setErrorLimit(unsigned limit) { errorLimit = limit; }
  llvm::SourceMgr &sourceMgr() { return sm; }

private:
  void emit(llvm::SMRange range, DiagKind kind, const std::string &message);

  llvm::SourceMgr &sm;
  llvm::raw_ostream &os;
  unsigned errors = 0;
  unsigned errorLimit = 50;
  bool limitHit = false;
  bool lastSuppressed = false;
  bool showKind = false;
  bool quiet = false;
  bool capturingNotes = false;
  std::string captured;
  std::vector<unsigned> synthetic;
  std::set<std::pair<const char *, std::string>> seen;
  llvm::SMRange redirectRange;
  std::string redirectContext;
};

/// The closest candidate to \p name by edit distance, or "" when none is
/// close enough to be a plausible typo.
std::string closestName(llvm::StringRef name,
                        llvm::ArrayRef<std::string> candidates);

} // namespace ds

#endif
