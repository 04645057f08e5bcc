//===- Evaluator.h - Constant evaluation of .ds expressions -----*- C++ -*-===//
//
// Evaluates an AST expression to a Value with dimension checking. Names are
// resolved by a Scope supplied by the caller (a declaration's fields, a
// sweep's axes and metrics), so the same rules apply everywhere.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_EVALUATOR_H
#define DEEPSTACK_FRONTEND_EVALUATOR_H

#include "frontend/AST.h"
#include "frontend/Diagnostics.h"
#include "ir/Value.h"
#include "llvm/ADT/Optional.h"

namespace ds {

class Scope {
public:
  virtual ~Scope() = default;
  /// Resolves a path expression. May return a Name value for a bare
  /// identifier it does not know (an enum value, say). None after an error.
  virtual llvm::Optional<Value> lookup(const ast::Expr &path) = 0;
  /// Names visible in this scope, for did-you-mean.
  virtual std::vector<std::string> visibleNames() const = 0;
};

/// Values produced by generators (pow2, divisors, linspace) are capped.
constexpr size_t kMaxListValues = 1'000'000;

class Evaluator {
public:
  Evaluator(DiagEngine &diags, Scope &scope) : diags(diags), scope(scope) {}

  llvm::Optional<Value> eval(const ast::Expr &e);
  /// Evaluates and requires a number (a Name here is an unknown name).
  llvm::Optional<Value> evalNumber(const ast::Expr &e);

private:
  llvm::Optional<Value> evalQuantity(const ast::Expr &e);
  llvm::Optional<Value> evalBinary(const ast::Expr &e);
  llvm::Optional<Value> evalUnary(const ast::Expr &e);
  llvm::Optional<Value> evalCall(const ast::Expr &e);
  llvm::Optional<Value> evalGenerator(const ast::Expr &e,
                                      std::vector<Value> &args);
  bool requireNumber(const Value &v, const ast::Expr &at);
  bool requireBool(const Value &v, const ast::Expr &at);
  llvm::Optional<Value> finite(Value v, const ast::Expr &at);

  DiagEngine &diags;
  Scope &scope;
};

} // namespace ds

#endif
