//===- SemaSweepNames.cpp - Names in a sweep's expressions ----------------===//
//
// Inside a sweep a name is a metric (checked as a placeholder of the
// metric's dimension), an axis (its first value, once declared), a field of
// a declaration, a declaration, or an enumeration value. The same names are
// kept symbolic when a checked expression becomes an ir::Expr, so the
// search can re-evaluate it at every point.
//
//===----------------------------------------------------------------------===//
#include "frontend/SweepChecker.h"
#include "ir/Enums.h"

#include "llvm/ADT/StringExtras.h"

using namespace ds;

namespace {
/// `require s.overlap == tile`: an enumeration value is a name, not a
/// misspelled metric.
bool isEnumSpelling(llvm::StringRef name) {
  static const EnumId ids[] = {
#define ENUM(Type, What, Spellings) EnumId::Type,
#include "ir/Enums.def"
  };
  for (EnumId id : ids)
    for (const char *s : enumInfo(id).spellings)
      if (name == s)
        return true;
  return false;
}
} // namespace

int SweepChecker::findAxis(DeclInfo *decl, llvm::StringRef field) const {
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i].decl == decl && axes[i].field == field)
      return int(i);
  return -1;
}

std::vector<std::string> SweepChecker::visibleNames() const {
  std::vector<std::string> names;
  for (const MetricSchema &m : allMetrics())
    names.push_back(m.name.str());
  for (DeclInfo *d : sema.decls())
    names.push_back(d->name);
  return names;
}

llvm::Optional<Value> SweepChecker::lookup(const ast::Expr &e) {
  std::string joined = llvm::join(e.path, ".");
  if (const MetricSchema *m = findMetric(joined))
    return Value::number(1.0, m->dim, false, e.range);
  DeclInfo *decl = nullptr;
  std::string field;
  if (sema.resolveLValue(e, decl, field, /*report=*/false)) {
    int axis = findAxis(decl, field);
    if (axis >= 0) {
      switch (axes[axis].state) {
      case AxisState::Pending:
        diags.report(e.range, DiagKind::AxisUsedBeforeDeclared, joined);
        return llvm::None;
      case AxisState::Failed: // its own error is already reported
        return llvm::None;
      case AxisState::Declared:
        break;
      }
      Value v = axes[axis].first;
      v.range = e.range;
      return v;
    }
    auto v = sema.fieldValue(*decl, field, e.range);
    if (v)
      v->range = e.range;
    return v;
  }
  if (e.path.size() == 1) {
    Value v = Value::name(e.path[0], e.range);
    if (DeclInfo *d = sema.findDecl(e.path[0]))
      v.nameOf = kindKeyword(d->kind).str();
    else if (metricContext && !isEnumSpelling(e.path[0])) {
      diags.report(e.range, DiagKind::UnknownMetric, joined);
      diags.suggest(e.range, closestName(joined, visibleNames()));
      return llvm::None;
    }
    return v;
  }
  if (sema.findDecl(e.path[0]))
    return sema.resolvePath(nullptr, "", e); // reports the precise problem
  diags.report(e.range, DiagKind::UnknownMetric, joined);
  diags.suggest(e.range, closestName(joined, visibleNames()));
  return llvm::None;
}

ExprPtr SweepChecker::toIR(const ast::Expr &e) {
  auto x = std::make_shared<Expr>();
  x->loc = e.range.Start;
  switch (e.kind) {
  case ast::Expr::Number:
  case ast::Expr::Quantity:
  case ast::Expr::String: {
    Evaluator ev(diags, *this);
    x->kind = Expr::Const;
    if (auto v = ev.eval(e))
      x->constant = *v;
    return x;
  }
  case ast::Expr::Path: {
    std::string joined = llvm::join(e.path, ".");
    DeclInfo *decl = nullptr;
    std::string field;
    if (findMetric(joined)) {
      x->kind = Expr::Metric;
      x->name = joined;
    } else if (sema.resolveLValue(e, decl, field, false)) {
      int axis = findAxis(decl, field);
      x->kind = axis >= 0 ? Expr::Axis : Expr::Field;
      x->axis = axis;
      x->name = Sema::qualifiedName(*decl) + "." + field;
    } else {
      x->kind = Expr::Const;
      x->constant = Value::name(joined, e.range);
    }
    return x;
  }
  case ast::Expr::Call:
    x->kind = Expr::Call;
    break;
  case ast::Expr::List:
    x->kind = Expr::List;
    break;
  case ast::Expr::Range:
    x->kind = Expr::Range;
    break;
  case ast::Expr::Unary:
    x->kind = Expr::Unary;
    break;
  case ast::Expr::Binary:
    x->kind = Expr::Binary;
    break;
  }
  x->name = e.text;
  for (const ast::ExprPtr &o : e.operands)
    x->operands.push_back(toIR(*o));
  return x;
}
