//===- SweepTest.cpp - Result sets, intervals and sweep expressions -------===//
#include "passes/SweepExpr.h"
#include "runtime/search/ResultSet.h"

#include <gtest/gtest.h>
#include <random>

using namespace ds;
using search::Point;
using search::ResultSet;

namespace {
Point pt(std::vector<uint32_t> path, double obj, std::vector<double> pareto = {}) {
  Point p;
  p.path = std::move(path);
  p.objective = obj;
  p.pareto = std::move(pareto);
  return p;
}

ExprPtr constant(double v) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Const;
  e->constant = Value::number(v, Dim::none(), std::floor(v) == v);
  return e;
}
ExprPtr axis(int i) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Axis;
  e->axis = i;
  return e;
}
ExprPtr binary(const char *op, ExprPtr l, ExprPtr r) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Binary;
  e->name = op;
  e->operands = {std::move(l), std::move(r)};
  return e;
}
ExprPtr call(const char *fn, std::vector<ExprPtr> args) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Call;
  e->name = fn;
  e->operands = std::move(args);
  return e;
}

struct NoEnv : SweepEnv {
  std::vector<Value> axes;
  const Value &axisValue(int i) override { return axes[i]; }
  llvm::Optional<Value> fieldValue(llvm::StringRef) override { return llvm::None; }
};
} // namespace

TEST(ResultSet, KeepsTheBestNWithEarlierPathsWinningTies) {
  ResultSet r(2);
  r.offer(pt({0, 1}, 5));
  r.offer(pt({0, 0}, 5)); // same objective, earlier path: ranks first
  r.offer(pt({1, 0}, 3));
  r.offer(pt({1, 1}, 7));
  auto top = r.top();
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].objective, 7);
  EXPECT_EQ(top[1].path, (search::Path{0, 0}));
  EXPECT_EQ(r.threshold(), 5); // a subtree bounded below 5 cannot enter
}

TEST(ResultSet, ThresholdIsMinusInfinityUntilFull) {
  ResultSet r(3);
  r.offer(pt({0}, 1));
  EXPECT_TRUE(std::isinf(r.threshold()) && r.threshold() < 0);
}

TEST(ResultSet, ParetoFrontDropsDominatedPoints) {
  ResultSet r(0, true);
  r.offer(pt({0}, 0, {1, 5}));
  r.offer(pt({1}, 0, {2, 2}));
  r.offer(pt({2}, 0, {2, 6})); // dominates {1,5}
  r.offer(pt({3}, 0, {1, 1})); // dominated
  auto front = r.paretoSet();
  ASSERT_EQ(front.size(), 1u); // {2,6} dominates {2,2} too
  EXPECT_EQ(front[0].path, (search::Path{2}));
  // A subtree whose best corner is {2, 6} or worse cannot join.
  EXPECT_TRUE(r.paretoExcludes({2, 5}));
  EXPECT_FALSE(r.paretoExcludes({2, 6})); // equal is not dominated
  EXPECT_FALSE(r.paretoExcludes({3, 0}));
}

TEST(ResultSet, AFullParetoFrontStopsGrowingAndSaysSo) {
  ResultSet r(0, true, /*maxFront=*/2);
  r.offer(pt({0}, 0, {1, 3}));
  r.offer(pt({1}, 0, {3, 1})); // front {1,3} {3,1}: full, not overflowed
  EXPECT_FALSE(r.paretoOverflowed());
  r.offer(pt({2}, 0, {4, 4})); // dominates both: they go, it enters
  EXPECT_FALSE(r.paretoOverflowed());
  r.offer(pt({3}, 0, {5, 0}));
  r.offer(pt({4}, 0, {0, 5})); // a third non-dominated point: dropped
  EXPECT_TRUE(r.paretoOverflowed());
  EXPECT_EQ(r.paretoSet().size(), 2u);
  // A merge carries the flag.
  ResultSet whole(0, true);
  whole.merge(r);
  EXPECT_TRUE(whole.paretoOverflowed());
}

TEST(ResultSet, MergeOrderDoesNotChangeTheResult) {
  std::mt19937 rng(7);
  std::vector<Point> points;
  for (uint32_t i = 0; i < 200; ++i)
    points.push_back(pt({i / 10, i % 10}, double(rng() % 20),
                        {double(rng() % 9), double(rng() % 9)}));
  ResultSet whole(5, true);
  for (const Point &p : points)
    whole.offer(p);
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(points.begin(), points.end(), rng);
    ResultSet a(5, true), b(5, true);
    for (size_t i = 0; i < points.size(); ++i)
      (i % 3 ? a : b).offer(points[i]);
    b.merge(a);
    ASSERT_EQ(b.top().size(), whole.top().size());
    for (size_t i = 0; i < whole.top().size(); ++i)
      EXPECT_EQ(b.top()[i].path, whole.top()[i].path);
    auto f1 = b.paretoSet(), f2 = whole.paretoSet();
    ASSERT_EQ(f1.size(), f2.size());
    for (size_t i = 0; i < f1.size(); ++i)
      EXPECT_EQ(f1[i].path, f2[i].path);
  }
}

// Interval arithmetic must enclose every value the expression takes on a
// box: sample points and check they fall inside.
TEST(SweepInterval, EnclosesSampledValues) {
  // (a * b - a / (b + 3)) + min(a, b) with a in [-2, 5], b in [1, 4]
  ExprPtr a = axis(0), b = axis(1);
  ExprPtr e = binary("+",
                     binary("-", binary("*", a, b),
                            binary("/", a, binary("+", b, constant(3)))),
                     call("min", {a, b}));
  Interval box[] = {{-2, 5}, {1, 4}};
  IntervalEnv ie;
  ie.axes = box;
  Interval iv = evalInterval(*e, ie);
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> ua(-2, 5), ub(1, 4);
  for (int i = 0; i < 2000; ++i) {
    double v[] = {ua(rng), ub(rng)};
    NumericEnv ne;
    ne.axes = v;
    double x = evalNumber(*e, ne);
    EXPECT_GE(x, iv.lo);
    EXPECT_LE(x, iv.hi);
  }
}

TEST(SweepInterval, ComparisonsAreThreeValued) {
  ExprPtr a = axis(0);
  IntervalEnv ie;
  Interval box[] = {{2, 6}};
  ie.axes = box;
  EXPECT_EQ(evalInterval(*binary("<=", a, constant(10)), ie).lo, 1); // surely
  EXPECT_EQ(evalInterval(*binary(">", a, constant(10)), ie).hi, 0);  // never
  Interval u = evalInterval(*binary("<", a, constant(4)), ie);       // maybe
  EXPECT_EQ(u.lo, 0);
  EXPECT_EQ(u.hi, 1);
  // Division by an interval holding zero is unbounded, never a wrong number.
  Interval d = evalInterval(*binary("/", constant(1), binary("-", a, constant(3))), ie);
  EXPECT_TRUE(std::isinf(d.lo) && std::isinf(d.hi));
}

TEST(SweepExpr, GeneratorsExpandLikeTheLanguage) {
  NoEnv env;
  std::string error;
  // pow2(3, 40) = {4, 8, 16, 32}; divisors(12) = {1, 2, 3, 4, 6, 12}
  auto p = evalValue(*call("pow2", {constant(3), constant(40)}), env, error);
  ASSERT_TRUE(p);
  std::vector<double> got;
  for (const Value &v : p->elems)
    got.push_back(v.num);
  EXPECT_EQ(got, (std::vector<double>{4, 8, 16, 32}));
  auto d = evalValue(*call("divisors", {constant(12)}), env, error);
  ASSERT_TRUE(d);
  got.clear();
  for (const Value &v : d->elems)
    got.push_back(v.num);
  EXPECT_EQ(got, (std::vector<double>{1, 2, 3, 4, 6, 12}));
  // linspace(1, 2, 5) = {1, 1.25, 1.5, 1.75, 2}
  auto l = evalValue(*call("linspace", {constant(1), constant(2), constant(5)}),
                     env, error);
  ASSERT_TRUE(l);
  EXPECT_DOUBLE_EQ(l->elems[1].num, 1.25);
  // A derived value that divides by zero at this node is an error, not inf.
  env.axes = {Value::number(0, Dim::none(), true)};
  EXPECT_FALSE(evalValue(*binary("/", constant(128), axis(0)), env, error));
  EXPECT_NE(error.find("division by zero"), std::string::npos);
}
