//===- ResultSet.cpp - Top-N and Pareto set of a search -------------------===//
#include "runtime/search/ResultSet.h"

#include <algorithm>

using namespace ds::search;

bool ds::search::ranksBefore(const Point &a, const Point &b) {
  if (a.objective != b.objective)
    return a.objective > b.objective;
  return a.path < b.path;
}

bool ds::search::dominates(const std::vector<double> &a,
                           const std::vector<double> &b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] < b[i])
      return false;
    better |= a[i] > b[i];
  }
  return better;
}

void ResultSet::offer(const Point &p) {
  if (topN > 0 && (best.size() < topN || ranksBefore(p, best.back()))) {
    auto at = std::lower_bound(best.begin(), best.end(), p, ranksBefore);
    if (at != best.end() && at->path == p.path)
      return; // offered twice (a merge of a top point that is also Pareto)
    best.insert(at, p);
    if (best.size() > topN)
      best.pop_back();
  }
  if (!wantPareto)
    return;
  for (const Point &q : front)
    if (q.path == p.path || dominates(q.pareto, p.pareto))
      return;
  front.erase(std::remove_if(front.begin(), front.end(),
                             [&](const Point &q) {
                               return dominates(p.pareto, q.pareto);
                             }),
              front.end());
  if (front.size() >= maxFront) {
    overflowed = true;
    return;
  }
  front.push_back(p);
}

void ResultSet::merge(const ResultSet &other) {
  overflowed = overflowed || other.overflowed;
  for (const Point &p : other.best)
    offer(p);
  for (const Point &p : other.front)
    offer(p);
}

double ResultSet::threshold() const {
  if (topN == 0 || best.size() < topN)
    return -std::numeric_limits<double>::infinity();
  return best.back().objective;
}

bool ResultSet::paretoExcludes(const std::vector<double> &corner) const {
  if (!wantPareto)
    return true;
  for (const Point &q : front)
    if (dominates(q.pareto, corner))
      return true;
  return false;
}

std::vector<Point> ResultSet::paretoSet() const {
  std::vector<Point> out = front;
  std::sort(out.begin(), out.end(),
            [](const Point &a, const Point &b) { return a.path < b.path; });
  return out;
}
