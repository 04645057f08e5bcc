//===- SemaDetail.h - Scopes of field evaluation and checks -----*- C++ -*-===//
//
// Internal to frontend/Sema*.cpp: the scope a field's expression (or a
// CHECK rule) is evaluated in, and the frame that records which field or
// rule is reading while dependencies are tracked. Field evaluation
// (SemaFields.cpp) and the rules between fields (SemaConstraints.cpp) both
// evaluate in these.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_SEMADETAIL_H
#define DEEPSTACK_FRONTEND_SEMADETAIL_H

#include "frontend/Evaluator.h"
#include "frontend/Sema.h"

namespace ds {
namespace detail {
/// Names resolve in a declaration: its block, its fields, then globally.
class DeclScope : public Scope {
public:
  DeclScope(Sema &sema, DeclInfo *decl, llvm::StringRef prefix)
      : sema(sema), decl(decl), prefix(prefix) {}
  llvm::Optional<Value> lookup(const ast::Expr &path) override {
    auto v = sema.resolvePath(decl, prefix, path);
    // A value read from elsewhere is reported where it is used.
    if (v)
      v->range = path.range;
    return v;
  }
  std::vector<std::string> visibleNames() const override {
    return sema.namesNear(decl);
  }

private:
  Sema &sema;
  DeclInfo *decl;
  std::string prefix;
};

/// Makes \p key the reader of every field read until it goes out of scope.
struct Evaluating {
  Evaluating(std::vector<DepKey> &stack, bool on, DepKey key)
      : stack(on ? &stack : nullptr) {
    if (on)
      stack.push_back(key);
  }
  ~Evaluating() {
    if (stack)
      stack->pop_back();
  }
  std::vector<DepKey> *stack;
};

} // namespace detail
} // namespace ds

#endif
