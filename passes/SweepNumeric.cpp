//===- SweepNumeric.cpp - Sweep expressions in doubles and intervals ------===//
//
// Objectives and constraints run at every leaf (doubles, no allocation) and
// at every inner node over intervals. Interval rules are the textbook ones
// (Moore): each result encloses every value the operation can take on its
// operands' intervals, so a constraint that is false on an interval is
// false at every point of the subtree.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepExpr.h"

#include "ir/Generators.h"

#include <algorithm>

using namespace ds;

namespace {


double applyCall(const std::string &fn, const std::vector<double> &a) {
  if (fn == "min")
    return *std::min_element(a.begin(), a.end());
  if (fn == "max")
    return *std::max_element(a.begin(), a.end());
  return applyUnaryFunction(fn, a.empty() ? 0 : a[0]);
}

double applyBinary(const std::string &op, double l, double r) {
  switch (op[0]) {
  case '+': return l + r;
  case '-': return l - r;
  case '*': return l * r;
  case '/': return l / r;
  case '%': return std::fmod(l, r);
  case '&': return (l != 0 && r != 0) ? 1 : 0;
  case '|': return (l != 0 || r != 0) ? 1 : 0;
  case '=': return l == r ? 1 : 0;
  case '!': return l != r ? 1 : 0;
  case '<': return (op.size() == 2 ? l <= r : l < r) ? 1 : 0;
  case '>': return (op.size() == 2 ? l >= r : l > r) ? 1 : 0;
  }
  return 0;
}

Interval boolean(bool canBeFalse, bool canBeTrue) {
  return {canBeFalse ? 0.0 : 1.0, canBeTrue ? 1.0 : 0.0};
}

using interval::divide;
using interval::times;

Interval intervalBinary(const std::string &op, Interval l, Interval r) {
  // An undefined end (inf - inf, 0 * inf rules aside) decides nothing.
  if (std::isnan(l.lo) || std::isnan(l.hi) || std::isnan(r.lo) ||
      std::isnan(r.hi)) {
    bool logical = op == "<" || op == "<=" || op == ">" || op == ">=" ||
                   op == "==" || op == "!=" || op == "&&" || op == "||";
    return logical ? Interval{0, 1} : Interval::all();
  }
  if (op == "+")
    return interval::add(l, r);
  if (op == "-")
    return interval::sub(l, r);
  if (op == "*")
    return times(l, r);
  if (op == "/")
    return divide(l, r);
  if (op == "%")
    return Interval::all();
  if (op == "&&")
    return boolean(l.lo == 0 || r.lo == 0, l.hi == 1 && r.hi == 1);
  if (op == "||")
    return boolean(l.lo == 0 && r.lo == 0, l.hi == 1 || r.hi == 1);
  if (op == "<")
    return boolean(l.hi >= r.lo, l.lo < r.hi);
  if (op == "<=")
    return boolean(l.hi > r.lo, l.lo <= r.hi);
  if (op == ">")
    return boolean(l.lo <= r.hi, l.hi > r.lo);
  if (op == ">=")
    return boolean(l.lo < r.hi, l.hi >= r.lo);
  bool canEqual = l.lo <= r.hi && r.lo <= l.hi;
  bool canDiffer = !(l.isPoint() && r.isPoint() && l.lo == r.lo);
  return op == "==" ? boolean(canDiffer, canEqual) : boolean(canEqual, canDiffer);
}

Interval intervalCall(const std::string &fn, const std::vector<Interval> &a) {
  if (a.empty())
    return Interval::all();
  if (fn == "min" || fn == "max") {
    Interval r = a[0];
    for (const Interval &x : a)
      r = fn == "min" ? interval::min(r, x) : interval::max(r, x);
    return r;
  }
  Interval x = a[0];
  if (fn == "ceil")
    return {std::ceil(x.lo), std::ceil(x.hi)};
  if (fn == "floor")
    return {std::floor(x.lo), std::floor(x.hi)};
  if (fn == "round")
    return {std::round(x.lo), std::round(x.hi)};
  if ((fn == "sqrt" || fn == "log2") && x.lo > 0)
    return fn == "sqrt" ? Interval{std::sqrt(x.lo), std::sqrt(x.hi)}
                        : Interval{std::log2(x.lo), std::log2(x.hi)};
  if (fn == "abs" && x.lo >= 0)
    return x;
  return Interval::all();
}
} // namespace

double ds::evalNumber(const Expr &e, const NumericEnv &env) {
  switch (e.kind) {
  case Expr::Const: // names compare by the code axes use (numericOf)
    return e.constant.kind == Value::Name ? nameCode(e.constant.text)
                                          : e.constant.num;
  case Expr::Axis:
    return env.axes[e.axis];
  case Expr::Field:
    return env.field ? env.field(e.name) : 0;
  case Expr::Metric:
    return env.metrics[metricIndex(e.name)];
  case Expr::Unary: {
    double v = evalNumber(*e.operands[0], env);
    return e.name == "!" ? (v == 0 ? 1 : 0) : -v;
  }
  case Expr::Binary:
    return applyBinary(e.name, evalNumber(*e.operands[0], env),
                       evalNumber(*e.operands[1], env));
  case Expr::Call: {
    if (e.name == "if")
      return evalNumber(*e.operands[0], env) != 0
                 ? evalNumber(*e.operands[1], env)
                 : evalNumber(*e.operands[2], env);
    std::vector<double> args;
    for (const ExprPtr &o : e.operands)
      args.push_back(evalNumber(*o, env));
    return applyCall(e.name, args);
  }
  case Expr::List:
  case Expr::Range:
    break;
  }
  return 0;
}

Interval ds::evalInterval(const Expr &e, const IntervalEnv &env) {
  switch (e.kind) {
  case Expr::Const:
    return Interval::point(e.constant.kind == Value::Name
                               ? nameCode(e.constant.text)
                               : e.constant.num);
  case Expr::Axis:
    return env.axes[e.axis];
  case Expr::Field:
    return env.field ? env.field(e.name) : Interval::all();
  case Expr::Metric:
    return env.metrics[metricIndex(e.name)];
  case Expr::Unary: {
    Interval v = evalInterval(*e.operands[0], env);
    if (e.name == "!")
      return {1 - v.hi, 1 - v.lo};
    return {-v.hi, -v.lo};
  }
  case Expr::Binary:
    return intervalBinary(e.name, evalInterval(*e.operands[0], env),
                          evalInterval(*e.operands[1], env));
  case Expr::Call: {
    if (e.name == "if") {
      Interval c = evalInterval(*e.operands[0], env);
      if (c.lo == 1)
        return evalInterval(*e.operands[1], env);
      if (c.hi == 0)
        return evalInterval(*e.operands[2], env);
      return evalInterval(*e.operands[1], env)
          .hull(evalInterval(*e.operands[2], env));
    }
    std::vector<Interval> args;
    for (const ExprPtr &o : e.operands)
      args.push_back(evalInterval(*o, env));
    return intervalCall(e.name, args);
  }
  case Expr::List:
  case Expr::Range:
    break;
  }
  return Interval::all();
}

void ds::forEachMetric(const Expr &e,
                       const std::function<void(llvm::StringRef)> &fn) {
  if (e.kind == Expr::Metric)
    fn(e.name);
  for (const ExprPtr &o : e.operands)
    forEachMetric(*o, fn);
}

void ds::forEachField(const Expr &e,
                      const std::function<void(llvm::StringRef)> &fn) {
  if (e.kind == Expr::Field)
    fn(e.name);
  for (const ExprPtr &o : e.operands)
    forEachField(*o, fn);
}

void ds::forEachAxis(const Expr &e, const std::function<void(int)> &fn) {
  if (e.kind == Expr::Axis)
    fn(e.axis);
  for (const ExprPtr &o : e.operands)
    forEachAxis(*o, fn);
}


Interval ds::valuesHull(const Expr &e, const IntervalEnv &env) {
  auto arg = [&](size_t i) { return evalInterval(*e.operands[i], env); };
  switch (e.kind) {
  case Expr::List: {
    if (e.operands.empty())
      return Interval::all();
    Interval h = arg(0);
    for (size_t i = 1; i < e.operands.size(); ++i)
      h = h.hull(arg(i));
    return h;
  }
  case Expr::Range: // whole numbers from ceil(lo) to floor(hi)
    return {std::ceil(arg(0).lo), std::floor(arg(1).hi)};
  case Expr::Call:
    if (e.name == "divisors" && e.operands.size() == 1)
      return {1, arg(0).hi};
    if (e.name == "pow2" && e.operands.size() == 2)
      return {std::max(1.0, arg(0).lo), arg(1).hi};
    if (e.name == "linspace" && e.operands.size() == 3)
      return arg(0).hull(arg(1));
    break;
  default:
    break;
  }
  return evalInterval(e, env); // a derived axis: its one value
}
