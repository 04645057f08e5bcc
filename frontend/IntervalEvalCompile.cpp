//===- IntervalEvalCompile.cpp - Expressions compiled to interval trees ---===//
//
// Paths resolve exactly as Sema::resolvePath resolves them, but at compile
// time: a field no axis reaches becomes a constant, a field some axis
// reaches becomes a reference to its own compiled expression, and a path
// through a reference field that an axis may change is unknown. Names
// (enum values, declarations) are kept to decide `==` when both sides are
// fixed; anything else the tree cannot follow (strings, lists, topologies,
// generators) is unknown, which encloses as everything.
//
//===----------------------------------------------------------------------===//
#include "frontend/IntervalEvalDetail.h"

#include "frontend/Units.h"

using namespace ds;
using namespace ds::detail;

void IntervalEval::Impl::refresh() {
  const DependencyGraph &g = sema.dependencies();
  if (g.size() == graphSize)
    return;
  graphSize = g.size();
  // Everything an axis reaches, through pinned axes too (a superset of
  // what a commit re-evaluates, which is what soundness needs).
  variable.clear();
  std::vector<DepKey> work(axes.begin(), axes.end());
  variable.insert(axes.begin(), axes.end());
  while (!work.empty()) {
    DepKey k = work.back();
    work.pop_back();
    for (DepKey r : g.readersOf(k))
      if (!DependencyGraph::rule(r) && variable.insert(r).second)
        work.push_back(r);
  }
  nodes.clear();
  fields.clear();
  fieldIndex.clear();
  queries.clear();
  alloc.Reset();
  unknownNode = add(Node());
}

unsigned IntervalEval::Impl::fieldNode(DeclInfo &d, const FieldSchema &f) {
  DepKey key{&d, &f};
  if (!variable.count(key)) {
    auto it = d.values.find(f.path);
    if (it == d.values.end())
      return unknownNode;
    const Value &v = it->second;
    if (v.kind == Value::Number)
      return constant(IVal::num(Interval::point(v.num)));
    if (v.kind == Value::Name)
      return constant(IVal::name(saver.save(v.text), true));
    return unknownNode;
  }
  auto [it, added] = fieldIndex.insert({key, unsigned(fields.size())});
  if (added) {
    FieldInfo fi;
    fi.decl = &d;
    fi.schema = &f;
    for (unsigned a = 0; a < axes.size(); ++a)
      if (axes[a] == key)
        fi.axis = int(a);
    fields.push_back(fi);
  }
  Node n;
  n.op = Node::Field;
  n.field = it->second;
  return add(std::move(n));
}

DeclInfo *IntervalEval::Impl::target(DeclInfo &d, const FieldSchema &f) {
  if (f.type != FieldType::Ref || variable.count({&d, &f}))
    return nullptr;
  auto it = d.values.find(f.path);
  return it == d.values.end() ? nullptr : sema.findDecl(it->second.text);
}

unsigned IntervalEval::Impl::compilePath(DeclInfo *d, llvm::StringRef prefix,
                                         const ast::Expr &e) {
  const std::vector<std::string> &parts = e.path;
  DeclInfo *cur = nullptr;
  size_t next = 0;
  // As Sema::resolvePath: the enclosing block, the declaration, a level's
  // network; then a declaration by name; then its fields and levels.
  DeclInfo *scope = nullptr;
  size_t first = 0;
  if (const FieldSchema *f = sema.scopeField(d, prefix, parts, scope, first)) {
    if (first + 1 == parts.size())
      return fieldNode(*scope, *f);
    cur = target(*scope, *f);
    if (!cur)
      return unknownNode;
    next = first + 1;
  }
  if (!cur) {
    cur = sema.findDecl(parts[0]);
    next = 1;
    if (!cur)
      return parts.size() == 1 ? constant(IVal::name(parts[0], true))
                               : unknownNode;
    if (parts.size() == 1)
      return constant(IVal::name(saver.save(cur->name), true));
  }
  while (true) {
    if (DeclInfo *level = sema.findLevel(cur, parts, next)) {
      cur = level;
      if (++next == parts.size())
        return unknownNode;
      continue;
    }
    if (cur->kind == DeclKind::Sweep)
      return unknownNode;
    size_t last = 0;
    const FieldSchema *f =
        longestField(kindSchema(cur->kind), "", parts, next, last);
    if (!f)
      return unknownNode;
    if (last + 1 == parts.size())
      return fieldNode(*cur, *f);
    cur = target(*cur, *f);
    if (!cur)
      return unknownNode;
    next = last + 1;
  }
}

unsigned IntervalEval::Impl::compileQuery(llvm::StringRef qualified) {
  auto it = queries.find(qualified);
  if (it != queries.end())
    return it->second;
  DeclInfo *decl = nullptr;
  const FieldSchema *f = nullptr;
  unsigned node = unknownNode;
  if (sema.walkQualified(
          qualified,
          [&](DeclInfo &d, const FieldSchema &ref) { return target(d, ref); },
          decl, f))
    node = fieldNode(*decl, *f);
  queries[qualified] = node;
  return node;
}

unsigned IntervalEval::Impl::compile(const ast::Expr &e, DeclInfo *d,
                                     llvm::StringRef prefix) {
  Node n;
  auto operands = [&](Node::Op op) {
    n.op = op;
    for (const ast::ExprPtr &x : e.operands)
      n.kids.push_back(compile(*x, d, prefix));
    return add(std::move(n));
  };
  switch (e.kind) {
  case ast::Expr::Number:
    return constant(IVal::num(Interval::point(e.number)));
  case ast::Expr::Quantity: {
    auto unit = lookupUnit(e.unit);
    if (!unit)
      return unknownNode;
    // Exactly Evaluator::evalQuantity's conversion.
    return constant(
        IVal::num(Interval::point(e.number * unit->scale + unit->offset)));
  }
  case ast::Expr::Path:
    return compilePath(d, prefix, e);
  case ast::Expr::Unary:
    return operands(e.text == "!" ? Node::Not : Node::Neg);
  case ast::Expr::Binary: {
    static const std::pair<const char *, Node::Op> ops[] = {
        {"+", Node::Add}, {"-", Node::Sub}, {"*", Node::Mul}, {"/", Node::Div},
        {"%", Node::Rem}, {"<", Node::Lt},  {"<=", Node::Le}, {">", Node::Gt},
        {">=", Node::Ge}, {"==", Node::Eq}, {"!=", Node::Ne}, {"&&", Node::And},
        {"||", Node::Or}};
    for (auto [text, op] : ops)
      if (e.text == text)
        return operands(op);
    return unknownNode;
  }
  case ast::Expr::Call: {
    static const std::pair<const char *, Node::Op> fns[] = {
        {"min", Node::Min},     {"max", Node::Max},     {"ceil", Node::Ceil},
        {"floor", Node::Floor}, {"round", Node::Round}, {"abs", Node::Abs},
        {"sqrt", Node::Sqrt},   {"log2", Node::Log2},   {"if", Node::If}};
    size_t n = e.operands.size();
    for (auto [text, op] : fns) {
      if (e.text != text)
        continue;
      bool arity = op == Node::If                       ? n == 3
                   : op == Node::Min || op == Node::Max ? n >= 1
                                                        : n == 1;
      return arity ? operands(op) : unknownNode;
    }
    return unknownNode; // topologies, generators, unknown functions
  }
  case ast::Expr::String:
  case ast::Expr::List:
  case ast::Expr::Range:
    return unknownNode;
  }
  return unknownNode;
}
