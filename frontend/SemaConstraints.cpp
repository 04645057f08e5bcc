//===- SemaConstraints.cpp - Checking a declaration and its rules ---------===//
//
// A declaration is checked field by field; only when every field is valid
// are the schema's CHECK rules between fields evaluated (a rule over an
// invalid field would only repeat its error). A failed rule is reported
// where the declaration itself sets a field the rule mentions, with a note
// giving the values of every field it reads.
//
//===----------------------------------------------------------------------===//
#include "frontend/SemaDetail.h"

#include "llvm/ADT/StringExtras.h"

using namespace ds;
using ds::detail::DeclScope;
using ds::detail::Evaluating;

void Sema::checkDecl(DeclInfo &d) {
  const KindSchema &k = kindSchema(d.kind);
  unsigned before = diags.errorCount();
  for (const FieldSchema &f : k.fields) {
    if (diags.stopped())
      return;
    fieldValue(d, f.path, d.nameRange);
  }
  if (d.kind == DeclKind::Network) {
    if (d.levels.empty())
      diags.report(d.nameRange, DiagKind::NetworkWithoutLevels, d.name);
    if (d.levels.size() > 4)
      diags.report(d.levels[4]->nameRange, DiagKind::TooManyLevels, d.name,
                   d.levels.size(), 4);
    for (DeclInfo *l : d.levels)
      checkDecl(*l);
  }
  // Constraints between fields only make sense once every field is valid.
  if (diags.errorCount() == before)
    checkConstraints(d);
}

namespace {
void collectPaths(const ast::Expr &e, std::vector<std::string> &out) {
  if (e.kind == ast::Expr::Path) {
    std::string p = llvm::join(e.path, ".");
    if (!llvm::is_contained(out, p))
      out.push_back(p);
  }
  for (const ast::ExprPtr &x : e.operands)
    collectPaths(*x, out);
}
} // namespace

bool Sema::recheck(DeclInfo &d, const CheckSchema &rule) {
  unsigned before = diags.errorCount();
  checkConstraints(d, &rule);
  return diags.errorCount() == before;
}

void Sema::checkConstraints(DeclInfo &d, const CheckSchema *only) {
  const KindSchema &k = kindSchema(d.kind);
  for (const CheckSchema &c : k.checks) {
    if (only && &c != only)
      continue;
    Evaluating frame(evaluating, tracking, {&d, &c});
    const ast::Expr *e = schemaExpr(c.expr);
    if (!e)
      continue;
    std::vector<std::string> paths;
    collectPaths(*e, paths);
    // Report where this declaration itself sets a field the rule mentions;
    // a field it only inherits points at the declaration's name.
    llvm::SMRange at = d.nameRange;
    for (const std::string &p : paths) {
      const Binding *b = nullptr;
      auto fromSet = d.set.find(p);
      auto fromOwn = d.own.find(p);
      if (fromSet != d.set.end())
        b = &fromSet->second;
      else if (fromOwn != d.own.end())
        b = &fromOwn->second;
      if (b) {
        at = b->range;
        break;
      }
    }
    diags.setRedirect(at, "");
    DeclScope scope(*this, &d, "");
    Evaluator ev(diags, scope);
    auto v = ev.eval(*e);
    diags.clearRedirect();
    if (!v || v->kind != Value::Bool || v->num != 0)
      continue;
    diags.report(at, DiagKind::CheckFailed, c.message, kindKeyword(d.kind),
                 d.name);
    std::string values;
    for (const std::string &p : paths) {
      DeclScope s(*this, &d, "");
      ast::Expr pe;
      pe.kind = ast::Expr::Path;
      for (llvm::StringRef part : llvm::split(p, '.')) {
        pe.path.push_back(part.str());
        pe.pathRanges.push_back(at);
      }
      pe.range = at;
      if (auto pv = s.lookup(pe))
        values += (values.empty() ? "" : ", ") + p + " = " + pv->str();
    }
    diags.report(at, DiagKind::NoteValues, values);
  }
}
