//===- Sema.h - Loading, name resolution and checking -----------*- C++ -*-===//
//
// Sema loads the main file and its imports, registers declarations, resolves
// `: base` chains and references, applies --set overrides, evaluates every
// field (defaults included) against the schema and checks sweeps. IRGen then
// reads the checked values.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_SEMA_H
#define DEEPSTACK_FRONTEND_SEMA_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "ir/IR.h"
#include "ir/Schema.h"
#include "ir/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ds {

/// Where a field's value is written.
struct Binding {
  const ast::Expr *expr = nullptr;
  llvm::SMRange range;  ///< the field name as written
  std::string prefix;   ///< enclosing block path with a trailing '.', or ""
};

/// A declaration (or a network level) as Sema sees it.
struct DeclInfo {
  DeclKind kind = DeclKind::Memory;
  std::string name;
  const ast::Decl *ast = nullptr; ///< null for levels
  llvm::SMRange nameRange;
  DeclInfo *base = nullptr;
  DeclInfo *parent = nullptr; ///< a level's network
  bool inMainFile = false;

  llvm::StringMap<Binding> own;    ///< written in this declaration
  llvm::StringMap<Binding> set;    ///< from --set on the command line
  llvm::StringMap<Binding> merged; ///< base's, then own, then --set
  /// Network levels: own in source order, then merged with the base's.
  std::vector<std::unique_ptr<DeclInfo>> ownLevels;
  std::vector<std::unique_ptr<DeclInfo>> inheritedLevels;
  std::vector<DeclInfo *> levels;

  llvm::StringMap<Value> values;
  llvm::StringSet<> inProgress;
  llvm::StringSet<> failed;
  llvm::StringSet<> defaulted; ///< fields that took their schema default
  bool merging = false, mergedDone = false;
};

/// A sweep after checking: targets resolved, expressions in IR form.
struct CheckedSweep {
  DeclInfo *decl = nullptr;
  std::string design;
  std::vector<SweepAxis> axes;
  std::vector<ExprPtr> constraints;
  ExprPtr objective;
  bool maximize = true;
  int64_t topN = 10;
  std::vector<ExprPtr> pareto;
  int compareAxis = -1; ///< `compare AXIS on ...`: index into axes
  std::vector<ExprPtr> compareMetrics;
};

/// A node of the dependency graph: a field of a declaration (the second
/// member is its FieldSchema) or one of its CHECK rules (a CheckSchema).
using DepKey = std::pair<DeclInfo *, const void *>;

/// Who read what while fields were evaluated: readersOf(k) are the fields
/// and rules whose value used k (directly, through a reference, or in a
/// schema default). Only recorded while Sema::trackDependencies is on.
class DependencyGraph {
public:
  void record(DepKey reader, DepKey read) {
    if (reader != read && edges.insert({reader, read}).second)
      readers[read].push_back(reader);
  }
  llvm::ArrayRef<DepKey> readersOf(DepKey k) const {
    auto it = readers.find(k);
    return it == readers.end() ? llvm::ArrayRef<DepKey>() : it->second;
  }
  /// Grows with every new edge: a cheap "did the graph change" test.
  size_t size() const { return edges.size(); }
  /// The rule \p k names, or null when it names a field.
  static const CheckSchema *rule(DepKey k);
  static const FieldSchema *field(DepKey k) {
    return rule(k) ? nullptr : static_cast<const FieldSchema *>(k.second);
  }

private:
  llvm::DenseMap<DepKey, llvm::SmallVector<DepKey, 2>> readers;
  llvm::DenseSet<std::pair<DepKey, DepKey>> edges;
};

/// The longest i such that parts[from..i], joined with '.' after
/// \p prefix, is a field of \p k (\p last = i); null if none is.
const FieldSchema *longestField(const KindSchema &k, llvm::StringRef prefix,
                                llvm::ArrayRef<std::string> parts, size_t from,
                                size_t &last);

/// The shipped .ds library: $DEEPSTACK_LIB if set, else the source tree's
/// lib/ (searched last by every import).
std::string shippedLibraryDir();

class Sema {
public:
  Sema(DiagEngine &diags, std::vector<std::string> includeDirs);
  ~Sema();

  /// Loads \p path and everything it imports; false after errors.
  bool loadMainFile(llvm::StringRef path);
  /// Loads in-memory text as the main file (fuzzers, tests); imports are
  /// searched relative to \p name's directory.
  bool loadMainBuffer(llvm::StringRef text, llvm::StringRef name);
  /// Adds `decl.field=value` from the command line (applied by check()).
  void addSetting(llvm::StringRef text);
  /// Resolves and checks everything loaded; false after errors.
  bool check();

  const std::vector<std::unique_ptr<ast::File>> &files() const {
    return loadedFiles;
  }
  const ast::File *mainFile() const { return main; }
  /// Declarations in load order (imports before the files importing them).
  const std::vector<DeclInfo *> &decls() const { return declOrder; }
  DeclInfo *findDecl(llvm::StringRef name) const;
  DiagEngine &diagnostics() { return diags; }
  const std::vector<CheckedSweep> &sweeps() const { return checkedSweeps; }

  /// The value of a checked field; None if it failed (already reported).
  llvm::Optional<Value> fieldValue(DeclInfo &d, llvm::StringRef path,
                                   llvm::SMRange use);
  /// Resolves `a.b.c` from inside \p d (block \p prefix) or globally.
  llvm::Optional<Value> resolvePath(DeclInfo *d, llvm::StringRef prefix,
                                    const ast::Expr &path);
  /// Resolves a path to the declaration and field it names (sweep axes).
  bool resolveLValue(const ast::Expr &path, DeclInfo *&decl,
                     std::string &field, bool report = true);
  /// The level named by parts[next] when \p net is a network, else null.
  DeclInfo *findLevel(DeclInfo *net, const std::vector<std::string> &parts,
                      size_t next) const;
  std::vector<std::string> namesNear(DeclInfo *d) const;
  /// The field a path starts with inside declaration \p d: in the block
  /// \p prefix, then the declaration itself, then (for a level) its
  /// network; \p scope is where it was found and parts[0..last] its name.
  const FieldSchema *scopeField(DeclInfo *d, llvm::StringRef prefix,
                                llvm::ArrayRef<std::string> parts,
                                DeclInfo *&scope, size_t &last);
  /// Walks `decl.field`, `net.level.field` or a path through reference
  /// fields (`d.system.chip.memory.layers`): levels first, then the longest
  /// field of each declaration. \p follow gives the declaration a reference
  /// field names (null stops the walk). True with the last field and its
  /// declaration.
  using FollowFn =
      std::function<DeclInfo *(DeclInfo &, const FieldSchema &)>;
  bool walkQualified(llvm::StringRef qualified, const FollowFn &follow,
                     DeclInfo *&decl, const FieldSchema *&field);
  /// Declarations named by \p d's reference fields (after checking).
  llvm::SmallVector<DeclInfo *, 4> referencedDecls(const DeclInfo &d) const;
  /// "pod.board" for a level, the name for anything else.
  static std::string qualifiedName(const DeclInfo &d);

  /// Records which fields every field and CHECK rule reads (dependencies())
  /// from now on; off by default, since one compile never needs it.
  void trackDependencies(bool on) { tracking = on; }
  const DependencyGraph &dependencies() const { return deps; }
  /// Checks \p v against \p f's schema as if \p d set it (errors reported
  /// at \p d's name).
  llvm::Optional<Value> coerceValue(DeclInfo &d, const FieldSchema &f,
                                    const Value &v) {
    return coerce(d, f, v, nullptr);
  }
  /// Re-runs one CHECK rule of \p d; false when it fails (reported).
  bool recheck(DeclInfo &d, const CheckSchema &rule);

  /// A schema expression (default or check) parsed once per process.
  const ast::Expr *schemaExpr(llvm::StringRef text);

private:
  bool loadFile(llvm::StringRef path, llvm::SMLoc importLoc);
  bool loadParsedBuffer(unsigned id, llvm::StringRef path);
  std::string findImport(llvm::StringRef spec, llvm::StringRef fromFile);
  void registerDecls(ast::File &file, bool isMain);
  void resolveBases();
  void collectBindings(DeclInfo &d);
  void collectBody(DeclInfo &d, const ast::Body &body,
                   const std::string &prefix);
  void bindField(DeclInfo &d, llvm::StringMap<Binding> &into,
                 const std::vector<std::string> &path,
                 const std::vector<llvm::SMRange> &ranges,
                 const std::string &prefix, const ast::Expr *value,
                 bool overrideOk);
  void addLevel(DeclInfo &net, const ast::Item &item);
  void applySettings();
  void merge(DeclInfo &d);
  void checkDecl(DeclInfo &d);
  void checkConstraints(DeclInfo &d, const CheckSchema *only = nullptr);
  void checkSweep(DeclInfo &d);
  void verifyComplete();
  bool looksLikeBadTopology(const ast::Expr &e) const;
  /// Reads field \p f of \p d, written as e.path[from..last]. Returns true
  /// when the path goes on and \p next is the declaration the field refers
  /// to; false when \p value is the result (or None after an error).
  bool stepThroughField(DeclInfo &d, const FieldSchema &f, const ast::Expr &e,
                        size_t from, size_t last, llvm::Optional<Value> &value,
                        DeclInfo *&next);
  void reportBadTopology(const ast::Expr &e);
  llvm::Optional<Value> coerce(DeclInfo &d, const FieldSchema &f, Value v,
                               const Binding *b);

  DiagEngine &diags;
  std::vector<std::string> includeDirs;
  std::vector<std::unique_ptr<ast::File>> loadedFiles;
  ast::File *main = nullptr;
  std::vector<std::string> loadedPaths;  ///< canonical paths already loaded
  std::vector<std::string> importStack;  ///< files being loaded right now
  std::vector<std::unique_ptr<DeclInfo>> declStore;
  std::vector<DeclInfo *> declOrder;
  llvm::StringMap<DeclInfo *> declsByName;
  std::vector<std::unique_ptr<ast::Item>> settings;
  llvm::StringMap<ast::ExprPtr> schemaExprs;
  std::vector<CheckedSweep> checkedSweeps;
  bool tracking = false;
  DependencyGraph deps;
  /// The fields and rules being evaluated, innermost last (when tracking).
  std::vector<DepKey> evaluating;
  friend class SweepChecker;
};

} // namespace ds

#endif
