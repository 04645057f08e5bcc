//===- SemaResolve.cpp - Resolving names and paths to fields --------------===//
//
// A path in a .ds expression names a field of the enclosing block, of the
// declaration, of a level's network, or of any declaration by name, and may
// go on through reference fields and network levels
// (`d.system.chip.memory.layers`). At each step the longest dotted field
// name wins. Resolution reads fields through fieldValue(), so a path through
// a reference evaluates that reference first.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include "llvm/ADT/StringExtras.h"

using namespace ds;

namespace {
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
