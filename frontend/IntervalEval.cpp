//===- IntervalEval.cpp - Field values enclosed over a box of axes --------===//
//
// Walks a compiled tree (IntervalEvalCompile.cpp) in interval arithmetic:
// an axis field spans its axis interval, every other field is its compiled
// binding, memoized per query and narrowed as coerce() narrows a number; a
// comparison or `if` is decided only when the intervals do not overlap.
//
//===----------------------------------------------------------------------===//
#include "frontend/IntervalEvalDetail.h"

using namespace ds;
using namespace ds::detail;

namespace {
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
