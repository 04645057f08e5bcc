//===- SemaSweep.cpp - Checking design spaces -----------------------------===//
//
// A sweep's axes name fields of declarations; their values may use earlier
// axes. Every expression is checked by evaluating it with each axis bound to
// its first value and each metric to a placeholder of the right dimension,
// so units and names are verified before any search runs. The checked sweep
// keeps its expressions symbolic (ir::Expr) for expansion by the search.
// How names resolve inside a sweep is in SemaSweepNames.cpp.
//
//===----------------------------------------------------------------------===//
#include "frontend/SweepChecker.h"

#include "llvm/ADT/StringExtras.h"

using namespace ds;

bool SweepChecker::checkElement(DeclInfo &decl, const FieldSchema &f,
                                const Value &v, const ast::Expr *at) {
  Binding b;
  b.expr = at;
  b.range = at->range;
  return sema.coerce(decl, f, v, &b).hasValue();
}

void SweepChecker::checkAxis(const ast::Item &it, bool derived) {
  ast::Expr target = pathExpr(it);
  DeclInfo *decl = nullptr;
  std::string field;
  if (!sema.resolveLValue(target, decl, field))
    return;
  const FieldSchema &f = *kindSchema(decl->kind).findField(field);
  std::string name = llvm::join(it.path, ".");
  if (f.type == FieldType::Topo) {
    diags.report(target.range, DiagKind::TopologyAxis, name);
    return;
  }
  int index = findAxis(decl, field);
  if (index < 0 || axes[index].item != &it) {
    diags.report(target.range, DiagKind::DuplicateAxis, name, out.decl->name);
    return;
  }
  AxisState &state = axes[index];
  // Pending while its values are evaluated (a self-reference is an error);
  // Failed on any early return below.
  struct FailUnlessDeclared {
    AxisState &s;
    ~FailUnlessDeclared() {
      if (s.state != AxisState::Declared)
        s.state = AxisState::Failed;
    }
  } guard{state};
  if (!designDecls.empty() &&
      !designDecls.count(decl->parent ? decl->parent : decl)) {
    diags.report(target.range, DiagKind::AxisNotInDesign, name, out.design);
    return;
  }
  Evaluator ev(diags, *this);
  auto v = ev.eval(*it.value);
  if (!v)
    return;

  Value first;
  if (derived) {
    if (!checkElement(*decl, f, *v, it.value.get()))
      return;
    first = *v;
  } else if (v->kind == Value::List) {
    if (v->elems.empty()) {
      diags.report(it.value->range, DiagKind::AxisNoValues, name);
      return;
    }
    bool literal = it.value->kind == ast::Expr::List;
    for (size_t i = 0; i < v->elems.size(); ++i) {
      const ast::Expr *at = literal ? it.value->operands[i].get() : it.value.get();
      if (!checkElement(*decl, f, v->elems[i], at))
        return;
    }
    first = v->elems[0];
  } else if (v->kind == Value::Range) {
    if (f.type != FieldType::Int) {
      diags.report(it.value->range, DiagKind::AxisNotAList, name,
                   "a range (ranges step by 1 and need a whole-number field)");
      return;
    }
    for (size_t i = 0; i < 2; ++i)
      if (!checkElement(*decl, f, v->elems[i], it.value->operands[i].get()))
        return;
    if (v->elems[0].num > v->elems[1].num) {
      diags.report(it.value->range, DiagKind::AxisNoValues, name);
      return;
    }
    first = v->elems[0];
  } else {
    diags.report(it.value->range, DiagKind::AxisNotAList, name, v->describe());
    return;
  }
  state.first = first;
  state.state = AxisState::Declared;

  SweepAxis axis;
  axis.decl = Sema::qualifiedName(*decl);
  axis.declKind = decl->kind;
  axis.field = field;
  axis.values = toIR(*it.value);
  axis.derived = derived;
  axis.loc = target.range.Start;
  out.axes.push_back(std::move(axis));
}

void SweepChecker::preRegisterAxes() {
  for (const ast::Item &it : out.decl->ast->body) {
    if (it.kind != ast::Item::Axis &&
        !(it.kind == ast::Item::Assign && !it.hasBody))
      continue;
    DeclInfo *decl = nullptr;
    std::string field;
    if (sema.resolveLValue(pathExpr(it), decl, field, /*report=*/false) &&
        findAxis(decl, field) < 0)
      axes.push_back({decl, field, &it, AxisState::Pending, Value()});
  }
}

void SweepChecker::collectDesignDecls(DeclInfo *d) {
  if (!d || !designDecls.insert(d).second)
    return;
  for (DeclInfo *target : sema.referencedDecls(*d))
    collectDesignDecls(target);
}

CheckedSweep SweepChecker::run() {
  DeclInfo &d = *out.decl;
  const ast::Decl &a = *d.ast;
  if (!a.target.empty()) {
    DeclInfo *t = sema.findDecl(a.target);
    if (!t) {
      diags.report(a.targetRange, DiagKind::UnknownDecl, "design", a.target);
      std::vector<std::string> designs;
      for (DeclInfo *o : sema.decls())
        if (o->kind == DeclKind::Design)
          designs.push_back(o->name);
      diags.suggest(a.targetRange, closestName(a.target, designs));
    } else if (t->kind != DeclKind::Design) {
      diags.report(a.targetRange, DiagKind::SweepTargetNotDesign, d.name,
                   a.target, kindKeyword(t->kind));
    } else {
      out.design = t->name;
      collectDesignDecls(t);
    }
  }
  preRegisterAxes();
  bool sawObjective = false, sawReport = false, sawPareto = false,
       sawCompare = false;
  const ast::Item *compare = nullptr;
  auto once = [&](bool &seen, const ast::Item &it, llvm::StringRef what) {
    if (seen)
      diags.report(it.range, DiagKind::DuplicateSweepItem, what, d.name);
    bool first = !seen;
    seen = true;
    return first;
  };
  for (const ast::Item &it : a.body) {
    if (diags.stopped())
      break;
    Evaluator ev(diags, *this);
    metricContext = it.kind == ast::Item::Require ||
                    it.kind == ast::Item::Objective ||
                    it.kind == ast::Item::Pareto ||
                    it.kind == ast::Item::Compare;
    switch (it.kind) {
    case ast::Item::Axis:
      checkAxis(it, false);
      break;
    case ast::Item::Assign:
      if (it.hasBody)
        diags.report(it.range, DiagKind::ItemNotAllowed, "a block", "sweep");
      else
        checkAxis(it, true);
      break;
    case ast::Item::Require: {
      auto v = ev.eval(*it.value);
      if (v && v->kind != Value::Bool)
        diags.report(it.value->range, DiagKind::ExpectedCondition,
                     v->describe());
      else if (v)
        out.constraints.push_back(toIR(*it.value));
      break;
    }
    case ast::Item::Objective: {
      if (sawObjective) {
        diags.report(it.range, DiagKind::DuplicateObjective, d.name);
        break;
      }
      sawObjective = true;
      if (ev.evalNumber(*it.value)) {
        out.objective = toIR(*it.value);
        out.maximize = it.maximize;
      }
      break;
    }
    case ast::Item::ReportTop: {
      if (!once(sawReport, it, "report top"))
        break;
      auto v = ev.evalNumber(*it.value);
      if (!v)
        break;
      if (!v->dim.isNone() || !v->isInt || v->num < 1 || v->num > 1e6)
        diags.report(it.value->range, DiagKind::OutOfRange, "report top",
                     "a whole number from 1 to 1000000", v->str());
      else
        out.topN = int64_t(v->num);
      break;
    }
    case ast::Item::Pareto: {
      if (!once(sawPareto, it, "pareto"))
        break;
      if (it.metrics.size() < 2)
        diags.report(it.range, DiagKind::ParetoNeedsTwo);
      for (const ast::ExprPtr &m : it.metrics)
        if (ev.evalNumber(*m))
          out.pareto.push_back(toIR(*m));
      break;
    }
    case ast::Item::Compare:
      if (!once(sawCompare, it, "compare"))
        break;
      compare = &it;
      for (const ast::ExprPtr &m : it.metrics) {
        if (!ev.evalNumber(*m))
          continue;
        ExprPtr e = toIR(*m);
        if (e->kind == Expr::Metric)
          out.compareMetrics.push_back(e);
        else
          diags.report(m->range, DiagKind::CompareNeedsMetric, e->str());
      }
      break;
    case ast::Item::Block:
      diags.report(it.range, DiagKind::ItemNotAllowed, "a block", "sweep");
      break;
    case ast::Item::Level:
      diags.report(it.range, DiagKind::ItemNotAllowed, "'level'", "sweep");
      break;
    }
  }
  if (compare)
    checkCompare(*compare);
  return out;
}

/// The compared axis must be one this sweep enumerates (after every axis
/// is known, so `compare` may come first).
void SweepChecker::checkCompare(const ast::Item &it) {
  std::string name = llvm::join(it.path, ".");
  DeclInfo *decl = nullptr;
  std::string field;
  llvm::SMRange at = pathRange(it);
  if (!sema.resolveLValue(pathExpr(it), decl, field))
    return;
  for (size_t i = 0; i < out.axes.size(); ++i) {
    const SweepAxis &a = out.axes[i];
    if (a.decl != decl->name || a.field != field)
      continue;
    if (a.derived)
      diags.report(at, DiagKind::CompareNotAxis, name, out.decl->name,
                   "is derived (`=`), not enumerated");
    else
      out.compareAxis = int(i);
    return;
  }
  diags.report(at, DiagKind::CompareNotAxis, name, out.decl->name,
               "is not varied by it");
}

void Sema::checkSweep(DeclInfo &d) {
  SweepChecker checker(*this, d);
  checkedSweeps.push_back(checker.run());
}
