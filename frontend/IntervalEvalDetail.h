//===- IntervalEvalDetail.h - IntervalEval's compiled trees -----*- C++ -*-===//
//
// Internal to frontend/IntervalEval*.cpp: the value of an expression over a
// box of axes, the nodes of a compiled expression, the per-field state and
// IntervalEval's implementation. IntervalEvalCompile.cpp builds the trees;
// IntervalEval.cpp walks them in interval arithmetic.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_INTERVALEVALDETAIL_H
#define DEEPSTACK_FRONTEND_INTERVALEVALDETAIL_H

#include "frontend/IntervalEval.h"

#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"
#include <cmath>
#include <deque>

namespace ds {
namespace detail {
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

} // namespace detail

struct IntervalEval::Impl {
  using IVal = detail::IVal;
  using Node = detail::Node;
  using FieldInfo = detail::FieldInfo;

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

} // namespace ds

#endif
