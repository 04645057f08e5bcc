//===- SemaFields.cpp - Evaluating and checking field values --------------===//
//
// Fields are evaluated on demand with memoization, so a field may refer to
// any other field (its own declaration's, a referenced declaration's, or any
// declaration's by name) in any order; a reference back to a field being
// evaluated is a cycle. Schema defaults are .ds expressions evaluated in the
// same scope, which is how `connected_layers` defaults to `layers`.
//
//===----------------------------------------------------------------------===//
#include "frontend/Evaluator.h"
#include "frontend/Sema.h"

#include "llvm/ADT/StringExtras.h"
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
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

llvm::SMRange span(const std::vector<llvm::SMRange> &r, size_t from,
                   size_t to) {
  return {r[from].Start, r[to].End};
}

} // namespace

const FieldSchema *ds::longestField(const KindSchema &k,
                                    llvm::StringRef prefix,
                                    llvm::ArrayRef<std::string> parts,
                                    size_t from, size_t &last) {
  const FieldSchema *found = nullptr;
  std::string key = prefix.str();
  for (size_t i = from; i < parts.size(); ++i) {
    key += (i == from ? "" : ".") + parts[i];
    if (const FieldSchema *f = k.findField(key)) {
      found = f;
      last = i;
    }
  }
  return found;
}

bool Sema::walkQualified(llvm::StringRef qualified, const FollowFn &follow,
                         DeclInfo *&decl, const FieldSchema *&field) {
  llvm::SmallVector<llvm::StringRef, 4> split;
  qualified.split(split, '.');
  std::vector<std::string> parts(split.begin(), split.end());
  DeclInfo *cur = findDecl(parts[0]);
  size_t next = 1;
  while (cur && next < parts.size()) {
    if (DeclInfo *level = findLevel(cur, parts, next)) {
      cur = level;
      ++next;
      continue;
    }
    size_t last = 0;
    const FieldSchema *f =
        longestField(kindSchema(cur->kind), "", parts, next, last);
    if (!f)
      return false;
    if (last + 1 == parts.size()) {
      decl = cur;
      field = f;
      return true;
    }
    cur = f->type == FieldType::Ref ? follow(*cur, *f) : nullptr;
    next = last + 1;
  }
  return false;
}

DeclInfo *Sema::findLevel(DeclInfo *net, const std::vector<std::string> &parts,
                          size_t next) const {
  if (net->kind != DeclKind::Network || next >= parts.size())
    return nullptr;
  for (DeclInfo *l : net->levels)
    if (l->name == parts[next])
      return l;
  return nullptr;
}

std::string Sema::qualifiedName(const DeclInfo &d) {
  return d.parent ? d.parent->name + "." + d.name : d.name;
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

std::vector<std::string> Sema::namesNear(DeclInfo *d) const {
  std::vector<std::string> names;
  for (DeclInfo *x = d; x; x = x->parent)
    for (const FieldSchema &f : kindSchema(x->kind).fields)
      names.push_back(f.path.str());
  for (DeclInfo *o : declOrder)
    names.push_back(o->name);
  return names;
}

bool Sema::stepThroughField(DeclInfo &d, const FieldSchema &f,
                            const ast::Expr &e, size_t from, size_t last,
                            llvm::Optional<Value> &value, DeclInfo *&next) {
  value = fieldValue(d, f.path, span(e.pathRanges, from, last));
  if (!value || last + 1 == e.path.size())
    return false;
  if (f.type != FieldType::Ref) {
    diags.report(e.pathRanges[last + 1], DiagKind::NoSuchMember, "field",
                 f.path, e.path[last + 1]);
    value = llvm::None;
    return false;
  }
  next = findDecl(value->text);
  if (!next)
    value = llvm::None;
  return next != nullptr;
}

llvm::SmallVector<DeclInfo *, 4> Sema::referencedDecls(const DeclInfo &d) const {
  llvm::SmallVector<DeclInfo *, 4> out;
  if (d.kind == DeclKind::Sweep)
    return out;
  for (const FieldSchema &f : kindSchema(d.kind).fields) {
    if (f.type != FieldType::Ref)
      continue;
    auto it = d.values.find(f.path);
    if (it != d.values.end())
      if (DeclInfo *target = findDecl(it->second.text))
        out.push_back(target);
  }
  return out;
}

const FieldSchema *Sema::scopeField(DeclInfo *d, llvm::StringRef prefix,
                                    llvm::ArrayRef<std::string> parts,
                                    DeclInfo *&scope, size_t &last) {
  for (scope = d; scope; scope = scope->parent) {
    const KindSchema &k = kindSchema(scope->kind);
    for (llvm::StringRef pre : {prefix, llvm::StringRef()}) {
      if (scope != d && !pre.empty())
        continue;
      if (const FieldSchema *f = longestField(k, pre, parts, 0, last))
        return f;
    }
  }
  return nullptr;
}

llvm::Optional<Value> Sema::resolvePath(DeclInfo *d, llvm::StringRef prefix,
                                        const ast::Expr &e) {
  const std::vector<std::string> &parts = e.path;
  DeclInfo *cur = nullptr;
  size_t next = 0;
  // 1. the enclosing block, the declaration, then a level's network.
  DeclInfo *scope = nullptr;
  size_t last = 0;
  if (const FieldSchema *f = scopeField(d, prefix, parts, scope, last)) {
    llvm::Optional<Value> v;
    if (!stepThroughField(*scope, *f, e, 0, last, v, cur))
      return v;
    next = last + 1;
  }
  // 2. a declaration by name.
  if (!cur) {
    cur = findDecl(parts[0]);
    next = 1;
    if (!cur) {
      if (parts.size() == 1)
        return Value::name(parts[0], e.range);
      const KindSchema &k = kindSchema(d ? d->kind : DeclKind::Sweep);
      if (d && k.isBlock(parts[0])) {
        diags.report(span(e.pathRanges, 0, parts.size() - 1),
                     DiagKind::NoSuchMember, kindKeyword(d->kind), d->name,
                     llvm::join(parts, "."));
        return llvm::None;
      }
      diags.report(e.pathRanges[0], DiagKind::UnknownName, parts[0]);
      diags.suggest(e.pathRanges[0], closestName(parts[0], namesNear(d)));
      return llvm::None;
    }
    if (parts.size() == 1) {
      Value v = Value::name(cur->name, e.range);
      v.nameOf = kindKeyword(cur->kind).str();
      return v;
    }
  }
  // 3. fields of that declaration, following references and levels.
  while (true) {
    if (DeclInfo *level = findLevel(cur, parts, next)) {
      cur = level;
      if (++next == parts.size()) {
        diags.report(e.range, DiagKind::ExpectedNumber,
                     "the level '" + level->name + "'");
        return llvm::None;
      }
      continue;
    }
    if (cur->kind == DeclKind::Sweep) {
      diags.report(e.pathRanges[next - 1], DiagKind::ExpectedNumber,
                   "the sweep '" + cur->name + "'");
      return llvm::None;
    }
    const KindSchema &k = kindSchema(cur->kind);
    size_t last = 0;
    const FieldSchema *f = longestField(k, "", parts, next, last);
    if (!f) {
      std::string rest;
      for (size_t i = next; i < parts.size(); ++i)
        rest += (i == next ? "" : ".") + parts[i];
      diags.report(span(e.pathRanges, next, parts.size() - 1),
                   DiagKind::NoSuchMember, kindKeyword(cur->kind), cur->name,
                   rest);
      std::vector<std::string> fields;
      for (const FieldSchema &fs : k.fields)
        fields.push_back(fs.path.str());
      diags.suggest(e.pathRanges[next], closestName(rest, fields));
      return llvm::None;
    }
    llvm::Optional<Value> v;
    if (!stepThroughField(*cur, *f, e, next, last, v, cur))
      return v;
    next = last + 1;
  }
}

bool Sema::resolveLValue(const ast::Expr &e, DeclInfo *&decl,
                         std::string &field, bool report) {
  const std::vector<std::string> &parts = e.path;
  DeclInfo *cur = findDecl(parts[0]);
  size_t next = 1;
  while (cur && next < parts.size() && cur->kind != DeclKind::Sweep) {
    if (DeclInfo *level = findLevel(cur, parts, next)) {
      cur = level;
      ++next;
      continue;
    }
    const KindSchema &k = kindSchema(cur->kind);
    size_t last = 0;
    const FieldSchema *f = longestField(k, "", parts, next, last);
    if (!f)
      break;
    if (last + 1 == parts.size()) {
      decl = cur;
      field = f->path.str();
      return true;
    }
    if (f->type != FieldType::Ref)
      break;
    auto v = fieldValue(*cur, f->path, span(e.pathRanges, next, last));
    if (!v)
      return false;
    cur = findDecl(v->text);
    next = last + 1;
  }
  if (report)
    diags.report(e.range, DiagKind::AxisNotField, llvm::join(parts, "."));
  return false;
}

const CheckSchema *DependencyGraph::rule(DepKey k) {
  llvm::ArrayRef<CheckSchema> checks = kindSchema(k.first->kind).checks;
  auto p = reinterpret_cast<uintptr_t>(k.second);
  if (p >= reinterpret_cast<uintptr_t>(checks.begin()) &&
      p < reinterpret_cast<uintptr_t>(checks.end()))
    return static_cast<const CheckSchema *>(k.second);
  return nullptr;
}

namespace {
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
} // namespace

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
