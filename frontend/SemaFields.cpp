//===- SemaFields.cpp - Evaluating and coercing field values --------------===//
//
// Fields are evaluated on demand with memoization, so a field may refer to
// any other field (its own declaration's, a referenced declaration's, or any
// declaration's by name) in any order; a reference back to a field being
// evaluated is a cycle. Schema defaults are .ds expressions evaluated in the
// same scope, which is how `connected_layers` defaults to `layers`. Each
// value is then coerced to its field's schema: reference kind, enumeration
// spelling, dimension, whole number and range.
//
//===----------------------------------------------------------------------===//
#include "frontend/SemaDetail.h"

#include <cmath>
#include <fmt/format.h>

using namespace ds;
using ds::detail::DeclScope;
using ds::detail::Evaluating;

const CheckSchema *DependencyGraph::rule(DepKey k) {
  llvm::ArrayRef<CheckSchema> checks = kindSchema(k.first->kind).checks;
  auto p = reinterpret_cast<uintptr_t>(k.second);
  if (p >= reinterpret_cast<uintptr_t>(checks.begin()) &&
      p < reinterpret_cast<uintptr_t>(checks.end()))
    return static_cast<const CheckSchema *>(k.second);
  return nullptr;
}

bool Sema::looksLikeBadTopology(const ast::Expr &e) const {
  bool known = false;
  for (const char *t : enumInfo(EnumId::TopologyKind).spellings)
    known |= e.text == t;
  // star(8) is a misspelled topology, not an unknown function; a bare
  // `ring` is a topology without its shape.
  return (e.kind == ast::Expr::Call && !known) ||
         (e.kind == ast::Expr::Path && e.path.size() == 1);
}

void Sema::reportBadTopology(const ast::Expr &e) {
  llvm::ArrayRef<const char *> kinds = enumInfo(EnumId::TopologyKind).spellings;
  std::vector<std::string> all(kinds.begin(), kinds.end());
  std::string name = e.kind == ast::Expr::Call ? e.text : e.path[0];
  if (llvm::is_contained(all, name)) {
    diags.report(e.range, DiagKind::BadArgument, name,
                 "a topology needs its shape, e.g. " + name +
                     (name == "mesh" || name == "torus" ? "(4, 4)" : "(8)"));
    return;
  }
  llvm::SMRange at = e.pathRanges.empty() ? e.range : e.pathRanges[0];
  diags.report(at, DiagKind::UnknownTopology, name);
  diags.suggest(at, closestName(name, all));
}

llvm::Optional<Value> Sema::fieldValue(DeclInfo &d, llvm::StringRef path,
                                       llvm::SMRange use) {
  const FieldSchema *f = nullptr;
  if (tracking) {
    f = kindSchema(d.kind).findField(path);
    if (f && !evaluating.empty())
      deps.record(evaluating.back(), {&d, f});
  }
  auto it = d.values.find(path);
  if (it != d.values.end())
    return it->second;
  if (d.failed.count(path))
    return llvm::None;
  if (!f)
    f = kindSchema(d.kind).findField(path);
  if (!f)
    return llvm::None;
  if (d.inProgress.count(path)) {
    diags.report(use, DiagKind::CyclicValue, d.name + "." + path.str());
    d.failed.insert(path);
    return llvm::None;
  }
  d.inProgress.insert(path);
  Evaluating frame(evaluating, tracking, {&d, f});
  llvm::Optional<Value> result;
  auto bound = d.merged.find(path);
  if (bound != d.merged.end()) {
    const Binding &b = bound->second;
    DeclScope scope(*this, &d, b.prefix);
    Evaluator ev(diags, scope);
    if (f->type == FieldType::Topo && looksLikeBadTopology(*b.expr)) {
      reportBadTopology(*b.expr);
    } else if (auto v = ev.eval(*b.expr)) {
      result = coerce(d, *f, *v, &b);
    }
  } else if (!f->required()) {
    if (const ast::Expr *def = schemaExpr(f->defaultText)) {
      // A default that fails on the user's values is reported at the
      // declaration, naming the default.
      llvm::SMRange saveRange = d.nameRange;
      diags.setRedirect(saveRange, " (default of '" + path.str() +
                                       "': " + f->defaultText.str() + ")");
      DeclScope scope(*this, &d, "");
      Evaluator ev(diags, scope);
      Binding fromDefault;
      fromDefault.expr = def;
      fromDefault.range = def->range;
      if (auto v = ev.eval(*def))
        result = coerce(d, *f, *v, &fromDefault);
      diags.clearRedirect();
      d.defaulted.insert(path);
    }
  } else {
    diags.report(d.nameRange, DiagKind::MissingField, kindKeyword(d.kind),
                 d.name, path, describeFieldType(*f));
  }
  d.inProgress.erase(path);
  if (!result) {
    d.failed.insert(path);
    return llvm::None;
  }
  d.values[path] = *result;
  return result;
}

llvm::Optional<Value> Sema::coerce(DeclInfo &d, const FieldSchema &f, Value v,
                                   const Binding *b) {
  llvm::SMRange where = b ? b->expr->range : d.nameRange;
  std::string name = f.path.str();
  switch (f.type) {
  case FieldType::Ref: {
    if (v.kind != Value::Name) {
      diags.report(where, DiagKind::ExpectedName, name, describeFieldType(f),
                   v.describe());
      return llvm::None;
    }
    DeclInfo *target = findDecl(v.text);
    if (!target) {
      diags.report(where, DiagKind::UnknownDecl, kindKeyword(f.refKind),
                   v.text);
      std::vector<std::string> same;
      for (DeclInfo *o : declOrder)
        if (o->kind == f.refKind)
          same.push_back(o->name);
      diags.suggest(where, closestName(v.text, same));
      return llvm::None;
    }
    if (target->kind != f.refKind) {
      diags.report(where, DiagKind::RefKindMismatch, name,
                   kindKeyword(f.refKind), v.text, kindKeyword(target->kind));
      return llvm::None;
    }
    v.nameOf = kindKeyword(target->kind).str();
    return v;
  }
  case FieldType::Enum: {
    const EnumInfo &info = enumInfo(f.enumId);
    if (v.kind != Value::Name) {
      diags.report(where, DiagKind::ExpectedName, name, describeFieldType(f),
                   v.describe());
      return llvm::None;
    }
    for (const char *s : info.spellings) {
      if (v.text == s) {
        v.nameOf = info.what.str();
        return v;
      }
    }
    diags.report(where, DiagKind::UnknownEnumValue, v.text, name,
                 describeFieldType(f));
    std::vector<std::string> all(info.spellings.begin(), info.spellings.end());
    diags.suggest(where, closestName(v.text, all));
    return llvm::None;
  }
  case FieldType::Topo:
    if (v.kind == Value::Call)
      return v;
    diags.report(where, DiagKind::ExpectedName, name, describeFieldType(f),
                 v.describe());
    return llvm::None;
  case FieldType::Int:
  case FieldType::Real:
    break;
  }
  if (v.kind == Value::Name && v.nameOf.empty()) {
    diags.report(v.range.Start.isValid() ? v.range : where,
                 DiagKind::UnknownName, v.text);
    diags.suggest(where, closestName(v.text, namesNear(&d)));
    return llvm::None;
  }
  if (v.kind != Value::Number) {
    diags.report(where, DiagKind::WrongDimension, name, describeFieldType(f),
                 v.describe());
    return llvm::None;
  }
  if (v.dim != f.dim) {
    // Point at the unit when the value is a literal: `900 GB` -> `GB`.
    llvm::SMRange at = where;
    if (b && b->expr->kind == ast::Expr::Quantity)
      at = b->expr->unitRange;
    diags.report(at, DiagKind::WrongDimension, name, describeFieldType(f),
                 v.describe());
    return llvm::None;
  }
  if (f.type == FieldType::Int) {
    // Counts must be exact in a double: at most 2^53.
    if (std::fabs(v.num) > 9007199254740992.0) {
      diags.report(where, DiagKind::OutOfRange, name, "at most 2^53",
                   v.str());
      return llvm::None;
    }
    // 0.3 / 0.1 is 2.9999999999999996: accept what is whole up to rounding.
    double r = std::round(v.num);
    if (std::fabs(v.num - r) > 1e-9 * std::max(1.0, std::fabs(r))) {
      diags.report(where, DiagKind::ExpectedInteger, name,
                   fmt::format("{:.10g}", v.num));
      return llvm::None;
    }
    v.num = r;
    v.isInt = true;
  }
  bool ok = true;
  switch (f.check) {
  case Check::Any:
    break;
  case Check::Pos:
    ok = v.num > 0;
    break;
  case Check::NonNeg:
    ok = v.num >= 0;
    break;
  case Check::Fraction:
    ok = v.num > 0 && v.num <= 1;
    break;
  }
  if (!ok) {
    diags.report(where, DiagKind::OutOfRange, name, describeCheck(f.check),
                 v.str());
    return llvm::None;
  }
  return v;
}
