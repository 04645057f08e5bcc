//===- SweepExpr.cpp - Evaluating a sweep's expressions -------------------===//
#include "passes/SweepExpr.h"

#include "ir/Generators.h"
#include "ir/Schema.h"
#include "llvm/ADT/StringSwitch.h"
#include <algorithm>

using namespace ds;

namespace {
bool isWhole(double v) { return std::floor(v) == v && std::fabs(v) < 9.0e15; }

Value number(double v, Dim d, bool whole) {
  return Value::number(v, d, whole && d.isNone() && isWhole(v));
}

llvm::Optional<Value> fail(std::string &error, std::string msg) {
  if (error.empty())
    error = std::move(msg);
  return llvm::None;
}

llvm::Optional<Value> binary(const Expr &e, const Value &l, const Value &r,
                             std::string &error) {
  const std::string &op = e.name;
  if (op == "&&")
    return Value::boolean(l.num != 0 && r.num != 0);
  if (op == "||")
    return Value::boolean(l.num != 0 || r.num != 0);
  if ((op == "==" || op == "!=") && l.kind == Value::Name) {
    bool eq = l.text == r.text;
    return Value::boolean(op == "==" ? eq : !eq);
  }
  bool ints = l.isInt && r.isInt;
  if (op == "+")
    return number(l.num + r.num, l.dim, ints);
  if (op == "-")
    return number(l.num - r.num, l.dim, ints);
  if (op == "*")
    return number(l.num * r.num, l.dim * r.dim, ints);
  if (op == "/" || op == "%") {
    if (r.num == 0)
      return fail(error, "division by zero");
    if (op == "/")
      return number(l.num / r.num, l.dim / r.dim, ints);
    return number(std::fmod(l.num, r.num), l.dim, ints);
  }
  bool b = llvm::StringSwitch<bool>(op)
               .Case("<", l.num < r.num)
               .Case("<=", l.num <= r.num)
               .Case(">", l.num > r.num)
               .Case(">=", l.num >= r.num)
               .Case("==", l.num == r.num)
               .Default(l.num != r.num);
  return Value::boolean(b);
}

llvm::Optional<Value> generator(const Expr &e, const std::vector<Value> &args,
                                std::string &error) {
  Value list;
  list.kind = Value::List;
  auto positiveWhole = [&](size_t i) {
    return i < args.size() && args[i].dim.isNone() && isWhole(args[i].num) &&
           args[i].num >= 1;
  };
  if (e.name == "pow2") {
    if (!positiveWhole(0) || !positiveWhole(1))
      return fail(error, "pow2 needs whole bounds of at least 1");
    for (double p : pow2Values(args[0].num, args[1].num))
      list.elems.push_back(Value::number(p, Dim::none(), true));
    return list;
  }
  if (e.name == "divisors") {
    if (!positiveWhole(0) || args[0].num > 1e12)
      return fail(error, "divisors needs a whole number from 1 to 1e12, "
                         "found " + args[0].str());
    for (double d : divisorValues(static_cast<uint64_t>(args[0].num)))
      list.elems.push_back(Value::number(d, Dim::none(), true));
    return list;
  }
  // linspace(a, b, n)
  if (!positiveWhole(2) || args[2].num > 1e6)
    return fail(error, "linspace needs a whole count from 1 to 1000000");
  auto count = static_cast<size_t>(args[2].num);
  for (double v : linspaceValues(args[0].num, args[1].num, count))
    list.elems.push_back(
        number(v, args[0].dim, args[0].isInt && args[1].isInt));
  return list;
}

llvm::Optional<Value> call(const Expr &e, SweepEnv &env, std::string &error) {
  const std::string &fn = e.name;
  if (fn == "if") {
    auto c = evalValue(*e.operands[0], env, error);
    if (!c)
      return llvm::None;
    return evalValue(*e.operands[c->num != 0 ? 1 : 2], env, error);
  }
  std::vector<Value> args;
  for (const ExprPtr &o : e.operands) {
    auto v = evalValue(*o, env, error);
    if (!v)
      return llvm::None;
    args.push_back(std::move(*v));
  }
  if (fn == "pow2" || fn == "divisors" || fn == "linspace")
    return generator(e, args, error);
  if (args.empty() || args[0].kind != Value::Number) {
    // A topology call stays symbolic (Sema rejects topology axes).
    Value v;
    v.kind = Value::Call;
    v.text = fn;
    v.elems = std::move(args);
    return v;
  }
  Value v = args[0];
  if (fn == "min" || fn == "max") {
    for (const Value &a : args)
      if (fn == "min" ? a.num < v.num : a.num > v.num)
        v = a;
    return v;
  }
  if ((fn == "sqrt" || fn == "log2") && v.num <= 0)
    return fail(error, fn + " needs a positive number, found " + v.str());
  v.num = applyUnaryFunction(fn, v.num);
  v.isInt = v.dim.isNone() && isWhole(v.num);
  return v;
}
} // namespace

llvm::Optional<Value> ds::evalValue(const Expr &e, SweepEnv &env,
                                    std::string &error) {
  switch (e.kind) {
  case Expr::Const:
    return e.constant;
  case Expr::Axis:
    return env.axisValue(e.axis);
  case Expr::Field: {
    auto v = env.fieldValue(e.name);
    if (!v)
      return fail(error, "field '" + e.name + "' has no value at this point");
    return v;
  }
  case Expr::Metric:
    return fail(error, "metric '" + e.name + "' is not known before the point "
                       "is evaluated");
  case Expr::Unary: {
    auto v = evalValue(*e.operands[0], env, error);
    if (!v)
      return llvm::None;
    if (e.name == "!")
      return Value::boolean(v->num == 0);
    v->num = -v->num;
    return v;
  }
  case Expr::Binary: {
    auto l = evalValue(*e.operands[0], env, error);
    auto r = l ? evalValue(*e.operands[1], env, error) : llvm::None;
    if (!l || !r)
      return llvm::None;
    auto v = binary(e, *l, *r, error);
    if (v && v->kind == Value::Number && !std::isfinite(v->num))
      return fail(error, "a value is not finite");
    return v;
  }
  case Expr::Call:
    return call(e, env, error);
  case Expr::List: {
    Value list;
    list.kind = Value::List;
    for (const ExprPtr &o : e.operands) {
      auto v = evalValue(*o, env, error);
      if (!v)
        return llvm::None;
      list.elems.push_back(std::move(*v));
    }
    return list;
  }
  case Expr::Range: {
    Value range;
    range.kind = Value::Range;
    for (const ExprPtr &o : e.operands) {
      auto v = evalValue(*o, env, error);
      if (!v)
        return llvm::None;
      range.elems.push_back(std::move(*v));
    }
    return range;
  }
  }
  return llvm::None;
}

bool ds::axisValues(const SweepAxis &axis, SweepEnv &env,
                    std::vector<Value> &out, std::string &error) {
  out.clear();
  auto v = evalValue(*axis.values, env, error);
  if (!v)
    return false;
  if (axis.derived) {
    out.push_back(std::move(*v));
    return true;
  }
  if (v->kind == Value::List) {
    out = std::move(v->elems);
  } else if (v->kind == Value::Range) {
    double lo = std::ceil(v->elems[0].num), hi = std::floor(v->elems[1].num);
    if (hi - lo >= 1e6) {
      error = axis.decl + "." + axis.field + " ranges over more than 1000000 "
              "values at this point";
      return false;
    }
    for (double x = lo; x <= hi; ++x)
      out.push_back(Value::number(x, v->elems[0].dim, true));
  } else {
    out.push_back(std::move(*v));
  }
  return true;
}

unsigned ds::metricCount() { return unsigned(allMetrics().size()); }

int ds::metricIndex(llvm::StringRef name) {
  auto all = allMetrics();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].name == name)
      return int(i);
  return -1;
}

bool ds::lowerIsBetter(llvm::StringRef metric) {
  return llvm::StringSwitch<bool>(metric)
      .Cases("stps", "tps_per_device", "tokens_per_joule", "memory.capacity",
             "devices", false)
      .Default(true);
}
