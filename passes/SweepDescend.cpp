//===- SweepDescend.cpp - Walking a subtree of the space ------------------===//
//
// The depth-first descent of a worker (passes/SweepWorker.cpp evaluates
// the leaves and judges the nodes): children judged and visited best bound
// first, long value lists judged in ranges, values a field rejects cut as
// invalid, and the exact size of every cut subtree counted.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepWorker.h"

#include "ir/Schema.h"

using namespace ds;

void SweepSearch::Worker::descend(unsigned k, Context &c) {
  if (c.shared->stop.load(std::memory_order_relaxed))
    return;
  if (k == space.depth())
    return leaf(c);
  const std::vector<Value> *vals = nullptr;
  std::string error;
  if (!env.values(k, vals, error)) {
    account(c, c.stats->invalid, 1); // its subtree has no defined size
    return;
  }
  // Copy: deeper levels may reuse the env's buffers for this level.
  std::vector<Value> values = *vals;
  if (!c.exhaustive && space.sweep().objective &&
      values.size() > kRangeLeaf && numeric(values))
    return visitRange(k, values, 0, uint32_t(values.size()), c);
  visitChildren(k, values, 0, uint32_t(values.size()), c);
}

bool SweepSearch::Worker::numeric(const std::vector<Value> &values) {
  for (const Value &v : values)
    if (v.kind != Value::Number)
      return false;
  return true;
}

uint64_t SweepSearch::Worker::rangeSize(unsigned k,
                                        const std::vector<Value> &values,
                                        uint32_t lo, uint32_t hi) {
  uint64_t n = 0;
  for (uint32_t i = lo; i < hi; ++i) {
    env.assign(k, values[i]);
    n += subtreeSize(k + 1);
  }
  return n;
}

// A long list of values (a batch axis of thousands) is judged in ranges:
// the bound over a range's hull cuts it whole, else it is halved and the
// better half visited first. Each value is judged alone only in ranges of
// a few, so a level costs a few judgements per value that survives rather
// than one per value.
void SweepSearch::Worker::visitRange(unsigned k,
                                     const std::vector<Value> &values,
                                     uint32_t lo, uint32_t hi, Context &c) {
  if (hi - lo <= kRangeLeaf)
    return visitChildren(k, values, lo, hi, c);
  for (const Half &h : judgeHalves(k, values, lo, hi, c)) {
    const Judgement &j = h.judgement;
    uint32_t a = h.lo, b = h.hi;
    if (j.cut != Judgement::Keep) {
      uint64_t n = rangeSize(k, values, a, b);
      account(c, j.cut == Judgement::Constraint ? c.stats->prunedConstraint
                                                : c.stats->infeasible,
              n);
    } else if (boundCuts(j, c)) {
      account(c, c.stats->prunedBound, rangeSize(k, values, a, b));
    } else {
      visitRange(k, values, a, b, c);
    }
  }
}

std::array<SweepSearch::Worker::Half, 2>
SweepSearch::Worker::judgeHalves(unsigned k, const std::vector<Value> &values,
                                 uint32_t lo, uint32_t hi, Context &c) {
  uint32_t mid = lo + (hi - lo) / 2;
  std::array<Half, 2> halves{Half{judgeRange(k, values, lo, mid, c), lo, mid},
                             Half{judgeRange(k, values, mid, hi, c), mid, hi}};
  if (halves[1].judgement.best > halves[0].judgement.best)
    std::swap(halves[0], halves[1]);
  return halves;
}

SweepSearch::Worker::Judgement
SweepSearch::Worker::judgeRange(unsigned k, const std::vector<Value> &values,
                                uint32_t lo, uint32_t hi, Context &c) {
  Interval iv = Interval::point(values[lo].num);
  for (uint32_t i = lo; i < hi; ++i)
    iv = iv.hull(Interval::point(values[i].num));
  bound.setRange(k, iv);
  Judgement j = judge(k, c);
  bound.clearRange();
  batchRangeBound(k, values, lo, hi, j, c);
  cornerBound(k, j, c, &values, lo, hi);
  return j;
}

void SweepSearch::Worker::visitChildren(unsigned k,
                                        const std::vector<Value> &values,
                                        uint32_t lo, uint32_t hi, Context &c) {
  // Judge every child, then visit the most promising first: a good
  // incumbent early prunes more of its siblings (the result does not
  // depend on the order: points are ranked by objective, then path).
  std::vector<Judgement> children;
  children.reserve(hi - lo);
  const FieldSchema *field = fieldOf(k);
  for (uint32_t i = lo; i < hi; ++i) {
    env.assign(k, values[i]);
    // A value its field rejects (a derived dp of 128 / 3) makes every
    // point below invalid, whatever the deeper axes hold.
    if (field && !acceptable(*field, values[i])) {
      account(c, c.stats->invalid, subtreeSize(k + 1));
      continue;
    }
    Judgement j = judge(k + 1, c);
    cornerBound(k + 1, j, c);
    j.index = i;
    if (j.cut != Judgement::Keep) {
      uint64_t n = subtreeSize(k + 1);
      account(c, j.cut == Judgement::Constraint ? c.stats->prunedConstraint
                                                : c.stats->infeasible,
              n);
      continue;
    }
    children.push_back(std::move(j));
  }
  if (!c.exhaustive && space.sweep().objective)
    std::stable_sort(children.begin(), children.end(),
                     [](const Judgement &a, const Judgement &b) {
                       return a.best > b.best;
                     });
  for (const Judgement &j : children) {
    env.assign(k, values[j.index]);
    if (!c.exhaustive && boundCuts(j, c)) {
      account(c, c.stats->prunedBound, subtreeSize(k + 1));
      continue;
    }
    path.push_back(j.index);
    descend(k + 1, c);
    path.pop_back();
  }
}

const FieldSchema *SweepSearch::Worker::fieldOf(unsigned k) const {
  const SweepAxis &a = space.sweep().axes[space.order()[k]];
  return kindSchema(a.declKind).findField(a.field);
}

bool SweepSearch::Worker::acceptable(const FieldSchema &f, const Value &v) {
  if (v.kind != Value::Number || (f.type != FieldType::Int &&
                                  f.type != FieldType::Real))
    return true; // names and the rest are checked on commit
  if (!std::isfinite(v.num))
    return false;
  if (f.type == FieldType::Int && std::floor(v.num) != v.num)
    return false;
  switch (f.check) {
  case Check::Pos:
    return v.num > 0;
  case Check::NonNeg:
    return v.num >= 0;
  case Check::Fraction:
    return v.num > 0 && v.num <= 1;
  case Check::Any:
    break;
  }
  return true;
}

uint64_t SweepSearch::Worker::subtreeSize(unsigned k) {
  uint64_t n = 0;
  // A level whose values cannot be computed has no size; its failure is
  // counted once where the descent meets it.
  return sizes.count(k, n) ? n : 0;
}

