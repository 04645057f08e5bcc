//===- Evaluator.cpp - Constant evaluation of .ds expressions -------------===//
#include "frontend/Evaluator.h"

#include "frontend/Units.h"
#include "ir/Generators.h"
#include "ir/Enums.h"
#include <cmath>

using namespace ds;

namespace {
bool isWhole(double v) { return std::floor(v) == v && std::fabs(v) < 9.0e15; }

const char *const kFunctions[] = {"min",  "max",     "ceil",     "floor",
                                  "round", "log2",   "sqrt",     "abs",
                                  "if",   "pow2",    "divisors", "linspace"};
} // namespace

llvm::Optional<Value> Evaluator::finite(Value v, const ast::Expr &at) {
  if (v.kind == Value::Number && !std::isfinite(v.num)) {
    diags.report(at.range, DiagKind::NotFinite);
    return llvm::None;
  }
  v.range = at.range;
  return v;
}

bool Evaluator::requireNumber(const Value &v, const ast::Expr &at) {
  if (v.kind == Value::Number)
    return true;
  if (v.kind == Value::Name && v.nameOf.empty()) {
    diags.report(v.range.Start.isValid() ? v.range : at.range,
                 DiagKind::UnknownName, v.text);
    diags.suggest(at.range, closestName(v.text, scope.visibleNames()));
    return false;
  }
  diags.report(at.range, DiagKind::ExpectedNumber, v.describe());
  return false;
}

bool Evaluator::requireBool(const Value &v, const ast::Expr &at) {
  if (v.kind == Value::Bool)
    return true;
  diags.report(at.range, DiagKind::ExpectedCondition, v.describe());
  return false;
}

llvm::Optional<Value> Evaluator::evalNumber(const ast::Expr &e) {
  auto v = eval(e);
  if (!v || !requireNumber(*v, e))
    return llvm::None;
  return v;
}

llvm::Optional<Value> Evaluator::eval(const ast::Expr &e) {
  switch (e.kind) {
  case ast::Expr::Number:
    return Value::number(e.number, Dim::none(), e.isInteger, e.range);
  case ast::Expr::Quantity:
    return evalQuantity(e);
  case ast::Expr::String: {
    Value v;
    v.kind = Value::String;
    v.text = e.text;
    v.range = e.range;
    return v;
  }
  case ast::Expr::Path:
    return scope.lookup(e);
  case ast::Expr::Call:
    return evalCall(e);
  case ast::Expr::List: {
    Value v;
    v.kind = Value::List;
    v.range = e.range;
    for (const ast::ExprPtr &x : e.operands) {
      auto ev = eval(*x);
      if (!ev)
        return llvm::None;
      v.elems.push_back(std::move(*ev));
    }
    return v;
  }
  case ast::Expr::Range: {
    auto lo = evalNumber(*e.operands[0]);
    auto hi = lo ? evalNumber(*e.operands[1]) : llvm::None;
    if (!lo || !hi)
      return llvm::None;
    if (lo->dim != hi->dim) {
      diags.report(e.range, DiagKind::DimensionMismatch, "range over",
                   lo->describe(), hi->describe());
      return llvm::None;
    }
    Value v;
    v.kind = Value::Range;
    v.range = e.range;
    v.elems = {*lo, *hi};
    return v;
  }
  case ast::Expr::Unary:
    return evalUnary(e);
  case ast::Expr::Binary:
    return evalBinary(e);
  }
  return llvm::None;
}

llvm::Optional<Value> Evaluator::evalQuantity(const ast::Expr &e) {
  auto unit = lookupUnit(e.unit);
  if (!unit) {
    diags.report(e.unitRange, DiagKind::UnknownUnit, e.unit);
    diags.suggest(e.unitRange, suggestUnit(e.unit));
    return llvm::None;
  }
  double si = e.number * unit->scale + unit->offset;
  bool whole = e.isInteger && unit->dim.isNone() && isWhole(si);
  return finite(Value::number(si, unit->dim, whole, e.range), e);
}

llvm::Optional<Value> Evaluator::evalUnary(const ast::Expr &e) {
  auto v = eval(*e.operands[0]);
  if (!v)
    return llvm::None;
  if (e.text == "!") {
    if (!requireBool(*v, *e.operands[0]))
      return llvm::None;
    return Value::boolean(v->num == 0, e.range);
  }
  if (!requireNumber(*v, *e.operands[0]))
    return llvm::None;
  v->num = -v->num;
  return finite(*v, e);
}

llvm::Optional<Value> Evaluator::evalBinary(const ast::Expr &e) {
  const std::string &op = e.text;
  auto l = eval(*e.operands[0]);
  if (!l)
    return llvm::None;
  auto r = eval(*e.operands[1]);
  if (!r)
    return llvm::None;

  if (op == "&&" || op == "||") {
    if (!requireBool(*l, *e.operands[0]) || !requireBool(*r, *e.operands[1]))
      return llvm::None;
    bool b = op == "&&" ? (l->num != 0 && r->num != 0)
                        : (l->num != 0 || r->num != 0);
    return Value::boolean(b, e.range);
  }
  // Names compare by spelling: `vertical == hybrid_bond`.
  if ((op == "==" || op == "!=") &&
      (l->kind == Value::Name || l->kind == Value::Bool)) {
    if (r->kind != l->kind) {
      diags.report(e.range, DiagKind::DimensionMismatch, "compare",
                   l->describe(), r->describe());
      return llvm::None;
    }
    bool eq = l->kind == Value::Name ? l->text == r->text : l->num == r->num;
    return Value::boolean(op == "==" ? eq : !eq, e.range);
  }
  if (!requireNumber(*l, *e.operands[0]) || !requireNumber(*r, *e.operands[1]))
    return llvm::None;

  bool sameDim = l->dim == r->dim;
  bool ints = l->isInt && r->isInt;
  if (op == "+" || op == "-") {
    if (!sameDim) {
      diags.report(e.range, DiagKind::DimensionMismatch,
                   op == "+" ? "add" : "subtract", l->describe(),
                   r->describe());
      return llvm::None;
    }
    double v = op == "+" ? l->num + r->num : l->num - r->num;
    return finite(Value::number(v, l->dim, ints && isWhole(v)), e);
  }
  if (op == "*") {
    double v = l->num * r->num;
    return finite(Value::number(v, l->dim * r->dim, ints && isWhole(v)), e);
  }
  if (op == "/" || op == "%") {
    if (r->num == 0) {
      diags.report(e.operands[1]->range, DiagKind::DivisionByZero);
      return llvm::None;
    }
    if (op == "/") {
      double v = l->num / r->num;
      return finite(Value::number(v, l->dim / r->dim, ints && isWhole(v)), e);
    }
    if (!sameDim) {
      diags.report(e.range, DiagKind::DimensionMismatch, "take the remainder of",
                   l->describe(), r->describe());
      return llvm::None;
    }
    double v = std::fmod(l->num, r->num);
    return finite(Value::number(v, l->dim, ints && isWhole(v)), e);
  }
  // Comparisons.
  if (!sameDim) {
    diags.report(e.range, DiagKind::DimensionMismatch, "compare",
                 l->describe(), r->describe());
    return llvm::None;
  }
  bool b = false;
  if (op == "<")
    b = l->num < r->num;
  else if (op == "<=")
    b = l->num <= r->num;
  else if (op == ">")
    b = l->num > r->num;
  else if (op == ">=")
    b = l->num >= r->num;
  else if (op == "==")
    b = l->num == r->num;
  else if (op == "!=")
    b = l->num != r->num;
  return Value::boolean(b, e.range);
}

llvm::Optional<Value> Evaluator::evalCall(const ast::Expr &e) {
  const std::string &fn = e.text;
  llvm::SMRange nameRange = e.pathRanges.empty() ? e.range : e.pathRanges[0];
  size_t n = e.operands.size();
  auto arity = [&](size_t lo, size_t hi) {
    if (n >= lo && n <= hi)
      return true;
    std::string expected = lo == hi ? std::to_string(lo)
                                    : std::to_string(lo) + " to " +
                                          std::to_string(hi);
    diags.report(e.range, DiagKind::WrongArgCount, fn, expected, n);
    return false;
  };

  // Topologies stay symbolic: switch(8) is a shape, not a number.
  for (const char *topo : enumInfo(EnumId::TopologyKind).spellings) {
    if (fn != topo)
      continue;
    bool twoPlus = fn == "mesh" || fn == "torus";
    if (!arity(twoPlus ? 2 : 1, twoPlus ? 3 : 1))
      return llvm::None;
    Value v;
    v.kind = Value::Call;
    v.text = fn;
    v.range = e.range;
    for (const ast::ExprPtr &a : e.operands) {
      auto x = evalNumber(*a);
      if (!x)
        return llvm::None;
      if (!x->dim.isNone() || !isWhole(x->num) || x->num < 1 ||
          x->num > 1e6) {
        diags.report(a->range, DiagKind::BadArgument, fn,
                     "sizes are whole numbers from 1 to 1000000, found " +
                         x->str());
        return llvm::None;
      }
      x->isInt = true;
      v.elems.push_back(*x);
    }
    return v;
  }

  if (fn == "if") {
    if (!arity(3, 3))
      return llvm::None;
    auto c = eval(*e.operands[0]);
    if (!c || !requireBool(*c, *e.operands[0]))
      return llvm::None;
    return eval(*e.operands[c->num != 0 ? 1 : 2]);
  }

  std::vector<Value> args;
  bool known = false;
  for (const char *f : kFunctions)
    known |= fn == f;
  if (!known) {
    diags.report(nameRange, DiagKind::UnknownFunction, fn);
    std::vector<std::string> names(std::begin(kFunctions),
                                   std::end(kFunctions));
    for (const char *topo : enumInfo(EnumId::TopologyKind).spellings)
      names.push_back(topo);
    diags.suggest(nameRange, closestName(fn, names));
    return llvm::None;
  }
  for (const ast::ExprPtr &a : e.operands) {
    auto x = evalNumber(*a);
    if (!x)
      return llvm::None;
    args.push_back(*x);
  }
  if (fn == "pow2" || fn == "divisors" || fn == "linspace")
    return evalGenerator(e, args);

  if (fn == "min" || fn == "max") {
    if (!arity(1, 1000))
      return llvm::None;
    Value best = args[0];
    for (size_t i = 1; i < n; ++i) {
      if (args[i].dim != best.dim) {
        diags.report(e.range, DiagKind::DimensionMismatch, "compare",
                     best.describe(), args[i].describe());
        return llvm::None;
      }
      if (fn == "min" ? args[i].num < best.num : args[i].num > best.num)
        best = args[i];
    }
    return finite(best, e);
  }
  if (!arity(1, 1))
    return llvm::None;
  Value v = args[0];
  if ((fn == "sqrt" || fn == "log2") && (!v.dim.isNone() || v.num <= 0)) {
    diags.report(e.operands[0]->range, DiagKind::BadArgument, fn,
                 "expects a positive plain number, found " + v.str());
    return llvm::None;
  }
  v.num = applyUnaryFunction(fn, v.num);
  v.isInt = v.dim.isNone() && isWhole(v.num);
  return finite(v, e);
}

llvm::Optional<Value> Evaluator::evalGenerator(const ast::Expr &e,
                                               std::vector<Value> &args) {
  const std::string &fn = e.text;
  size_t n = args.size();
  size_t want = fn == "pow2" ? 2 : fn == "divisors" ? 1 : 3;
  if (n != want) {
    diags.report(e.range, DiagKind::WrongArgCount, fn, want, n);
    return llvm::None;
  }
  Value list;
  list.kind = Value::List;
  list.range = e.range;
  auto bad = [&](size_t i, const std::string &why) {
    diags.report(e.operands[i]->range, DiagKind::BadArgument, fn,
                 why + ", found " + args[i].str());
    return llvm::None;
  };
  auto wholePositive = [&](size_t i) {
    return args[i].dim.isNone() && isWhole(args[i].num) && args[i].num >= 1;
  };
  if (fn == "pow2") {
    for (size_t i = 0; i < 2; ++i)
      if (!wholePositive(i))
        return bad(i, "expects a whole number of at least 1");
    if (args[0].num > args[1].num)
      return bad(1, "expects an upper bound not below the lower bound");
    for (double p : pow2Values(args[0].num, args[1].num))
      list.elems.push_back(Value::number(p, Dim::none(), true, e.range));
    return list;
  }
  if (fn == "divisors") {
    if (!wholePositive(0))
      return bad(0, "expects a whole number of at least 1");
    if (args[0].num > 1e12)
      return bad(0, "expects a number up to 1e12");
    for (double d : divisorValues(static_cast<uint64_t>(args[0].num)))
      list.elems.push_back(Value::number(d, Dim::none(), true, e.range));
    return list;
  }
  // linspace(a, b, n): n evenly spaced values from a to b inclusive.
  if (args[0].dim != args[1].dim) {
    diags.report(e.range, DiagKind::DimensionMismatch, "span", args[0].describe(),
                 args[1].describe());
    return llvm::None;
  }
  if (!wholePositive(2))
    return bad(2, "expects a whole count of at least 1");
  if (args[2].num > double(kMaxListValues)) {
    diags.report(e.range, DiagKind::ListTooLong, fn, args[2].str(),
                 kMaxListValues);
    return llvm::None;
  }
  auto count = static_cast<size_t>(args[2].num);
  for (double v : linspaceValues(args[0].num, args[1].num, count)) {
    bool whole = args[0].isInt && args[1].isInt && isWhole(v);
    list.elems.push_back(Value::number(v, args[0].dim, whole, e.range));
  }
  return list;
}
