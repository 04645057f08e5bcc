//===- EvaluatorTest.cpp - Constant evaluation ----------------------------===//
#include "frontend/Evaluator.h"
#include "frontend/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include <gtest/gtest.h>

using namespace ds;

namespace {
/// Names: `x` is 3, `big` is 2 GiB; anything else stays a bare name.
class TestScope : public Scope {
public:
  llvm::Optional<Value> lookup(const ast::Expr &p) override {
    if (p.path.size() == 1 && p.path[0] == "x")
      return Value::number(3, Dim::none(), true);
    if (p.path.size() == 1 && p.path[0] == "big")
      return Value::number(2.0 * 1073741824.0, Dim::bytes(), false);
    return Value::name(p.path[0], p.range);
  }
  std::vector<std::string> visibleNames() const override {
    return {"x", "big"};
  }
};

struct Eval {
  llvm::SourceMgr sm;
  std::string errors;
  llvm::raw_string_ostream os{errors};
  DiagEngine diags{sm, os};
  TestScope scope;

  llvm::Optional<Value> operator()(llvm::StringRef text) {
    unsigned id = sm.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, "expr"), {});
    ast::ExprPtr e = parseExpression(id, diags);
    if (!e)
      return llvm::None;
    exprs.push_back(std::move(e));
    return Evaluator(diags, scope).eval(*exprs.back());
  }
  std::vector<ast::ExprPtr> exprs;
};
} // namespace

TEST(Evaluator, ArithmeticWithUnits) {
  Eval ev;
  // 32 GiB / 8 = 4 GiB = 4 * 2^30 B.
  auto v = ev("32 GiB / 8");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dim, Dim::bytes());
  EXPECT_DOUBLE_EQ(v->num, 4.0 * 1073741824.0);
  // 8 channels * 8 B * 4.8 GT/s = 307.2e9 B/s.
  v = ev("8 * 8 B * 4.8 GT/s");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->dim, Dim::bandwidth());
  EXPECT_DOUBLE_EQ(v->num, 307.2e9);
}

TEST(Evaluator, PrecedenceAndWholeNumbers) {
  Eval ev;
  // 2 + 3 * 4 = 14, and -2 * 3 = -6: unary binds tightest.
  auto v = ev("2 + 3 * 4");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->num, 14);
  EXPECT_TRUE(v->isInt);
  v = ev("-2 * 3");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->num, -6);
  // 128 / 3 is not whole; 128 / 4 is.
  v = ev("128 / 3");
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->isInt);
  v = ev("128 / 4");
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->isInt);
  EXPECT_EQ(v->num, 32);
  // 10 % 4 = 2.
  v = ev("10 % 4");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->num, 2);
}

TEST(Evaluator, NamesFromTheScope) {
  Eval ev;
  // x = 3: x * big = 6 GiB.
  auto v = ev("x * big");
  ASSERT_TRUE(v);
  EXPECT_DOUBLE_EQ(v->num, 6.0 * 1073741824.0);
  v = ev("hybrid_bond");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, Value::Name);
  v = ev("hybrid_bond == hybrid_bond && x >= 3");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, Value::Bool);
  EXPECT_EQ(v->num, 1);
}

TEST(Evaluator, Functions) {
  Eval ev;
  auto v = ev("max(1 GB, 2 GB, 512 MB)");
  ASSERT_TRUE(v);
  EXPECT_DOUBLE_EQ(v->num, 2e9);
  v = ev("ceil(7 / 2)");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->num, 4);
  EXPECT_TRUE(v->isInt);
  v = ev("if(x > 2, 1 ns, 2 ns)");
  ASSERT_TRUE(v);
  EXPECT_DOUBLE_EQ(v->num, 1e-9);
  // log2(64) = 6.
  v = ev("log2(64)");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->num, 6);
}

TEST(Evaluator, Generators) {
  Eval ev;
  // pow2(1, 64) = {1, 2, 4, 8, 16, 32, 64}.
  auto v = ev("pow2(1, 64)");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->elems.size(), 7u);
  EXPECT_EQ(v->elems[6].num, 64);
  // pow2(3, 20) = {4, 8, 16}.
  v = ev("pow2(3, 20)");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->elems.size(), 3u);
  EXPECT_EQ(v->elems[0].num, 4);
  // divisors(80) = 1 2 4 5 8 10 16 20 40 80, ascending.
  v = ev("divisors(80)");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->elems.size(), 10u);
  EXPECT_EQ(v->elems[3].num, 5);
  EXPECT_EQ(v->elems[9].num, 80);
  // linspace(1 GHz, 2 GHz, 5) step 0.25 GHz.
  v = ev("linspace(1 GHz, 2 GHz, 5)");
  ASSERT_TRUE(v);
  ASSERT_EQ(v->elems.size(), 5u);
  EXPECT_DOUBLE_EQ(v->elems[1].num, 1.25e9);
  v = ev("switch(8)");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, Value::Call);
  EXPECT_EQ(v->str(), "switch(8)");
}

TEST(Evaluator, Errors) {
  Eval ev;
  EXPECT_FALSE(ev("1 GB + 1 ns"));
  EXPECT_NE(ev.errors.find("cannot add a size and a time"), std::string::npos);
  EXPECT_FALSE(ev("1 / (x - 3)"));
  EXPECT_NE(ev.errors.find("division by zero"), std::string::npos);
  EXPECT_FALSE(ev("4 Gib"));
  EXPECT_NE(ev.errors.find("did you mean 'GiB'?"), std::string::npos);
  EXPECT_FALSE(ev("1e300 * 1e300"));
  EXPECT_NE(ev.errors.find("not a finite number"), std::string::npos);
  EXPECT_FALSE(ev("xx + 1"));
  EXPECT_NE(ev.errors.find("unknown name 'xx'"), std::string::npos);
  EXPECT_FALSE(ev("pow2(0, 4)"));
  EXPECT_FALSE(ev("maxx(1, 2)"));
  EXPECT_NE(ev.errors.find("did you mean 'max'?"), std::string::npos);
}
