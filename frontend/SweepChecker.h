//===- SweepChecker.h - The scope a sweep is checked in ---------*- C++ -*-===//
//
// Internal to frontend/SemaSweep*.cpp. A sweep's items are checked by
// evaluating them in this scope: each axis stands for its first value and
// each metric for a placeholder of its dimension. SemaSweep.cpp checks the
// items; SemaSweepNames.cpp resolves the names they use and turns them into
// symbolic ir::Expr.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_SWEEPCHECKER_H
#define DEEPSTACK_FRONTEND_SWEEPCHECKER_H

#include "frontend/Evaluator.h"
#include "frontend/Sema.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace ds {
class SweepChecker : public Scope {
public:
  SweepChecker(Sema &sema, DeclInfo &sweep) : sema(sema), diags(sema.diags) {
    out.decl = &sweep;
  }

  CheckedSweep run();

  llvm::Optional<Value> lookup(const ast::Expr &path) override;
  std::vector<std::string> visibleNames() const override;

private:
  struct AxisState {
    DeclInfo *decl;
    std::string field;
    const ast::Item *item; ///< the first item that varies this field
    enum { Pending, Declared, Failed } state = Pending;
    Value first;
  };

  void preRegisterAxes();
  void collectDesignDecls(DeclInfo *d);
  void checkAxis(const ast::Item &it, bool derived);
  void checkCompare(const ast::Item &it);
  bool checkElement(DeclInfo &decl, const FieldSchema &f, const Value &v,
                    const ast::Expr *at);
  int findAxis(DeclInfo *decl, llvm::StringRef field) const;
  ExprPtr toIR(const ast::Expr &e);
  llvm::SMRange pathRange(const ast::Item &it) const {
    return {it.pathRanges.front().Start, it.pathRanges.back().End};
  }
  ast::Expr pathExpr(const ast::Item &it) const {
    ast::Expr p;
    p.kind = ast::Expr::Path;
    p.path = it.path;
    p.pathRanges = it.pathRanges;
    p.range = pathRange(it);
    return p;
  }

  Sema &sema;
  DiagEngine &diags;
  CheckedSweep out;
  std::vector<AxisState> axes;
  /// In require/objective/pareto, an unknown bare name is a metric typo.
  bool metricContext = false;
  /// Declarations the design reaches through its references.
  llvm::SmallPtrSet<DeclInfo *, 16> designDecls;
};
} // namespace ds

#endif
