//===- IntervalEval.cpp - Field values enclosed over a box of axes --------===//
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
#include "frontend/IntervalEval.h"

#include "frontend/Units.h"
#include "ir/Enums.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"
#include <deque>

using namespace ds;

namespace {
/// A value over the box: a number or a boolean ([0,1] undecided) as an
/// interval, a name (known when fixed), or unknown.
struct IVal {
  enum Kind : uint8_t { Num, Bool, Name, Unknown };
  Kind kind = Unknown;
  bool known = false; ///< Name: text is the name at every point
  Interval iv;
  llvm::StringRef text;

  static IVal num(Interval i) {
    // NaN ends (inf - inf) enclose nothing reliably.
    if (std::isnan(i.lo) || std::isnan(i.hi))
      i = Interval::all();
    IVal v;
    v.kind = Num;
    v.iv = i;
    return v;
  }
  static IVal boolean(Interval i) {
    IVal v;
    v.kind = Bool;
    v.iv = i;
    return v;
  }
  static IVal truth(bool b) { return boolean(Interval::point(b ? 1 : 0)); }
  static IVal name(llvm::StringRef t, bool known) {
    IVal v;
    v.kind = Name;
    v.known = known;
    v.text = t;
    return v;
  }
  Interval number() const { return kind == Num ? iv : Interval::all(); }
  Interval condition() const { return kind == Bool ? iv : Interval{0, 1}; }
};

struct Node {
  // clang-format off
  enum Op : uint8_t {
    Const, Field, Neg, Not, Add, Sub, Mul, Div, Rem, Lt, Le, Gt, Ge, Eq, Ne,
    And, Or, If, Min, Max, Ceil, Floor, Round, Abs, Sqrt, Log2
  };
  // clang-format on
  Op op = Const;
  IVal value;         ///< Const
  unsigned field = 0; ///< Field: index into Impl::fields
  llvm::SmallVector<unsigned, 3> kids;
};

struct FieldInfo {
  DeclInfo *decl = nullptr;
  const FieldSchema *schema = nullptr;
  int axis = -1;
  int root = -1; ///< compiled expression, once evaluated
  bool busy = false;
  unsigned memoEpoch = 0;
  IVal memo;
};

/// a / b over intervals, b never 0 at a valid point (Evaluator rejects it).
/// Quotients of the ends, not a * (1 / b), so the rounding matches.
Interval quotient(Interval a, Interval b) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (b.lo > 0 || b.hi < 0) {
    double q[] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
    for (double x : q)
      if (std::isnan(x))
        return Interval::all();
    return {*std::min_element(q, q + 4), *std::max_element(q, q + 4)};
  }
  // b in (0, hi] or [lo, 0): unbounded on one side when a keeps its sign.
  if (b.lo == 0 && b.hi > 0) {
    if (a.lo >= 0)
      return {a.lo / b.hi, inf};
    if (a.hi <= 0)
      return {-inf, a.hi / b.hi};
  } else if (b.hi == 0 && b.lo < 0) {
    if (a.lo >= 0)
      return {-inf, a.lo / b.lo};
    if (a.hi <= 0)
      return {a.hi / b.lo, inf};
  }
  return Interval::all();
}

/// fmod keeps a's sign and is smaller than |b| and at most |a|.
Interval remainder(Interval a, Interval b) {
  if (a.isPoint() && b.isPoint() && b.lo != 0)
    return Interval::point(std::fmod(a.lo, b.lo));
  double m = std::max(std::fabs(b.lo), std::fabs(b.hi));
  return {a.lo >= 0 ? 0 : std::max(a.lo, -m),
          a.hi <= 0 ? 0 : std::min(a.hi, m)};
}

/// Applies a nondecreasing function to both ends.
template <typename F> Interval monotone(Interval a, F f) {
  return {f(a.lo), f(a.hi)};
}

/// What coerce() does to a number: whole numbers are rounded (within 1e-9
/// relative) and the field's range check rejects the rest, so the valid
/// values lie in the narrowed interval.
Interval coerceNumber(Interval v, const FieldSchema &f) {
  if (f.type == FieldType::Int) {
    auto slack = [](double x) { return 2e-9 * std::max(1.0, std::fabs(x)); };
    v = {std::ceil(v.lo - slack(v.lo)), std::floor(v.hi + slack(v.hi))};
  }
  Interval c = v;
  switch (f.check) {
  case Check::Any:
    break;
  case Check::Pos:
    c.lo = std::max(c.lo, f.type == FieldType::Int ? 1.0 : 0.0);
    break;
  case Check::NonNeg:
    c.lo = std::max(c.lo, 0.0);
    break;
  case Check::Fraction:
    c = {std::max(c.lo, 0.0), std::min(c.hi, 1.0)};
    break;
  }
  // An empty result means no valid point; keep the unclamped enclosure.
  return c.lo <= c.hi ? c : v;
}

} // namespace

struct IntervalEval::Impl {
  Sema &sema;
  std::vector<DepKey> axes;
  size_t graphSize = ~size_t(0);
  // Rebuilt when the dependency graph grows.
  llvm::DenseSet<DepKey> variable;
  std::deque<Node> nodes;
  std::deque<FieldInfo> fields;
  llvm::DenseMap<DepKey, unsigned> fieldIndex;
  llvm::StringMap<unsigned> queries;
  llvm::BumpPtrAllocator alloc;
  llvm::StringSaver saver{alloc};
  unsigned unknownNode = 0;
  unsigned epoch = 0;
  const AxisIntervals *axisIv = nullptr;

  Impl(Sema &sema, std::vector<DepKey> axes)
      : sema(sema), axes(std::move(axes)) {}

  void refresh();
  unsigned add(Node n) {
    nodes.push_back(std::move(n));
    return unsigned(nodes.size() - 1);
  }
  unsigned constant(IVal v) {
    Node n;
    n.value = v;
    return add(std::move(n));
  }
  unsigned fieldNode(DeclInfo &d, const FieldSchema &f);
  /// The declaration a fixed reference field names, or null.
  DeclInfo *target(DeclInfo &d, const FieldSchema &f);
  unsigned compilePath(DeclInfo *d, llvm::StringRef prefix, const ast::Expr &e);
  unsigned compileQuery(llvm::StringRef qualified);
  unsigned compile(const ast::Expr &e, DeclInfo *d, llvm::StringRef prefix);
  IVal eval(unsigned node);
  IVal evalField(unsigned index);
};

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

IVal IntervalEval::Impl::evalField(unsigned index) {
  FieldInfo &fi = fields[index];
  FieldType type = fi.schema->type;
  if (fi.axis >= 0) {
    if (type == FieldType::Int || type == FieldType::Real)
      return IVal::num((*axisIv)(unsigned(fi.axis)));
    return type == FieldType::Topo ? IVal() : IVal::name("", false);
  }
  if (fi.memoEpoch == epoch)
    return fi.memo;
  // Cycles are rejected by Sema; stay finite anyway.
  if (fi.busy)
    return IVal();
  if (fi.root < 0) {
    const ast::Expr *e = nullptr;
    llvm::StringRef prefix;
    auto b = fi.decl->merged.find(fi.schema->path);
    if (b != fi.decl->merged.end()) {
      e = b->second.expr;
      prefix = b->second.prefix;
    } else if (!fi.schema->required()) {
      e = sema.schemaExpr(fi.schema->defaultText);
    }
    int root = e ? int(compile(*e, fi.decl, prefix)) : int(unknownNode);
    fields[index].root = root; // compile() may have grown `fields`
  }
  fields[index].busy = true;
  IVal v = eval(unsigned(fields[index].root));
  FieldInfo &done = fields[index];
  done.busy = false;
  switch (type) {
  case FieldType::Int:
  case FieldType::Real:
    v = IVal::num(coerceNumber(v.number(), *done.schema));
    break;
  case FieldType::Enum:
  case FieldType::Ref:
    if (v.kind != IVal::Name)
      v = IVal::name("", false);
    break;
  case FieldType::Topo:
    v = IVal();
    break;
  }
  done.memo = v;
  done.memoEpoch = epoch;
  return v;
}

IVal IntervalEval::Impl::eval(unsigned index) {
  const Node &n = nodes[index]; // a deque: stays put while fields compile
  auto kid = [&](unsigned i) { return eval(n.kids[i]); };
  auto num = [&](unsigned i) { return eval(n.kids[i]).number(); };
  auto compare = [](Interval l, Interval r, bool lt, bool orEqual) {
    // l < r (or <=): decided when the intervals do not overlap.
    if (!lt)
      std::swap(l, r);
    if (orEqual ? l.hi <= r.lo : l.hi < r.lo)
      return IVal::truth(true);
    if (orEqual ? l.lo > r.hi : l.lo >= r.hi)
      return IVal::truth(false);
    return IVal::boolean({0, 1});
  };
  switch (n.op) {
  case Node::Const:
    return n.value;
  case Node::Field:
    return evalField(n.field);
  case Node::Neg:
    return IVal::num(interval::negate(num(0)));
  case Node::Not: {
    Interval c = kid(0).condition();
    return IVal::boolean({1 - c.hi, 1 - c.lo});
  }
  case Node::Add:
    return IVal::num(interval::add(num(0), num(1)));
  case Node::Sub:
    return IVal::num(interval::sub(num(0), num(1)));
  case Node::Mul:
    return IVal::num(interval::times(num(0), num(1)));
  case Node::Div:
    return IVal::num(quotient(num(0), num(1)));
  case Node::Rem:
    return IVal::num(remainder(num(0), num(1)));
  case Node::Lt:
  case Node::Le:
  case Node::Gt:
  case Node::Ge:
    return compare(num(0), num(1), n.op == Node::Lt || n.op == Node::Le,
                   n.op == Node::Le || n.op == Node::Ge);
  case Node::Eq:
  case Node::Ne: {
    IVal l = kid(0), r = kid(1);
    IVal eq = IVal::boolean({0, 1});
    if (l.kind == IVal::Name && r.kind == IVal::Name) {
      if (l.known && r.known)
        eq = IVal::truth(l.text == r.text);
    } else if (l.kind == r.kind && l.kind != IVal::Unknown) {
      if (l.iv.isPoint() && r.iv.isPoint() && l.iv.lo == r.iv.lo)
        eq = IVal::truth(true);
      else if (l.iv.hi < r.iv.lo || r.iv.hi < l.iv.lo)
        eq = IVal::truth(false);
    }
    if (n.op == Node::Ne)
      eq.iv = {1 - eq.iv.hi, 1 - eq.iv.lo};
    return eq;
  }
  case Node::And:
  case Node::Or: {
    Interval l = kid(0).condition(), r = kid(1).condition();
    if (n.op == Node::And)
      return IVal::boolean({std::min(l.lo, r.lo), std::min(l.hi, r.hi)});
    return IVal::boolean({std::max(l.lo, r.lo), std::max(l.hi, r.hi)});
  }
  case Node::If: {
    Interval c = kid(0).condition();
    if (c.lo > 0)
      return kid(1);
    if (c.hi <= 0)
      return kid(2);
    IVal a = kid(1), b = kid(2);
    if (a.kind != b.kind)
      return IVal();
    if (a.kind == IVal::Name)
      return IVal::name(a.text, a.known && b.known && a.text == b.text);
    a.iv = a.iv.hull(b.iv);
    return a;
  }
  case Node::Min:
  case Node::Max: {
    Interval r = num(0);
    for (unsigned i = 1; i < n.kids.size(); ++i)
      r = n.op == Node::Min ? interval::min(r, num(i))
                            : interval::max(r, num(i));
    return IVal::num(r);
  }
  case Node::Ceil:
    return IVal::num(monotone(num(0), [](double x) { return std::ceil(x); }));
  case Node::Floor:
    return IVal::num(monotone(num(0), [](double x) { return std::floor(x); }));
  case Node::Round:
    return IVal::num(monotone(num(0), [](double x) { return std::round(x); }));
  case Node::Abs: {
    Interval a = num(0);
    if (a.lo >= 0)
      return IVal::num(a);
    if (a.hi <= 0)
      return IVal::num(interval::negate(a));
    return IVal::num({0, std::max(-a.lo, a.hi)});
  }
  case Node::Sqrt:
  case Node::Log2: {
    // Only positive arguments are valid (Evaluator rejects the rest).
    Interval a = num(0);
    if (a.hi <= 0)
      return IVal::num(Interval::all());
    a.lo = std::max(a.lo, 0.0);
    if (n.op == Node::Sqrt)
      return IVal::num(monotone(a, [](double x) { return std::sqrt(x); }));
    return IVal::num(monotone(a, [](double x) { return std::log2(x); }));
  }
  }
  return IVal();
}

IntervalEval::IntervalEval(Sema &sema, std::vector<DepKey> axes)
    : impl(std::make_unique<Impl>(sema, std::move(axes))) {}
IntervalEval::~IntervalEval() = default;

Interval IntervalEval::field(llvm::StringRef qualified,
                             const AxisIntervals &axisIv) {
  Impl &m = *impl;
  m.refresh();
  unsigned node = m.compileQuery(qualified);
  ++m.epoch;
  m.axisIv = &axisIv;
  IVal v = m.eval(node);
  m.axisIv = nullptr;
  return v.number();
}
