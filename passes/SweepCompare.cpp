//===- SweepCompare.cpp - Reported points side by side per axis value -----===//
#include "passes/SweepCompare.h"

#include "ir/Schema.h"
#include "passes/SweepExpr.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace ds;

double CompareTable::ratio(size_t g, size_t c) const {
  double base = groups[g].values[0], v = groups[g].values[c];
  if (std::isnan(base) || std::isnan(v) || (!difference && base == 0))
    return std::nan("");
  return difference ? v - base : v / base;
}

CompareTable ds::compareTable(const SweepIR &s, int metricIndex,
                              const std::vector<ComparePoint> &points) {
  CompareTable t;
  const MetricSchema &m = allMetrics()[size_t(metricIndex)];
  t.metric = m.name.str();
  t.lowerIsBetter = lowerIsBetter(m.name);
  t.difference = m.dim == Dim::temperature();
  size_t cmp = size_t(s.compareAxis);
  std::vector<size_t> keyAxes; // enumerated axes other than the compared one
  for (size_t a = 0; a < s.axes.size(); ++a)
    if (a != cmp && !s.axes[a].derived) {
      keyAxes.push_back(a);
      t.keyAxes.push_back(s.axes[a].decl + "." + s.axes[a].field);
    }
  // Columns in value-list order; groups in enumeration order (the key's
  // indices, lexicographically). A dependent axis may list a value at
  // several indices: the first one orders it.
  std::map<std::string, unsigned> columnOrder;
  std::map<std::vector<unsigned>, std::vector<std::string>> groupKeys;
  for (const ComparePoint &p : points) {
    auto it = columnOrder.emplace(p.axes[cmp], p.index[cmp]).first;
    it->second = std::min(it->second, p.index[cmp]);
    std::vector<unsigned> order;
    std::vector<std::string> key;
    for (size_t a : keyAxes) {
      order.push_back(p.index[a]);
      key.push_back(p.axes[a]);
    }
    groupKeys.emplace(order, key);
  }
  std::vector<std::pair<unsigned, std::string>> cols;
  for (const auto &c : columnOrder)
    cols.push_back({c.second, c.first});
  std::sort(cols.begin(), cols.end());
  for (const auto &c : cols)
    t.columns.push_back(c.second);
  std::map<std::vector<std::string>, size_t> groupOf;
  for (const auto &g : groupKeys) {
    if (groupOf.count(g.second))
      continue; // the same values reached through other indices
    groupOf[g.second] = t.groups.size();
    t.groups.push_back({g.second, std::vector<double>(t.columns.size(),
                                                      std::nan(""))});
  }
  for (const ComparePoint &p : points) {
    std::vector<std::string> key;
    for (size_t a : keyAxes)
      key.push_back(p.axes[a]);
    size_t c = size_t(std::find(t.columns.begin(), t.columns.end(),
                                p.axes[cmp]) -
                      t.columns.begin());
    t.groups[groupOf[key]].values[c] = p.metrics[size_t(metricIndex)];
  }
  for (size_t c = 1; c < t.columns.size(); ++c) {
    CompareTable::Summary sum;
    for (size_t g = 0; g < t.groups.size(); ++g) {
      double r = t.ratio(g, c);
      if (std::isnan(r))
        continue;
      if (sum.compared == 0 || r < sum.minRatio)
        sum.minRatio = r, sum.minGroup = g;
      if (sum.compared == 0 || r > sum.maxRatio)
        sum.maxRatio = r, sum.maxGroup = g;
      sum.compared += 1;
      double even = t.difference ? 0 : 1;
      if (std::fabs(r - even) <=
          (t.difference ? CompareTable::kTieK : CompareTable::kTie))
        sum.tied += 1;
      else
        sum.better += t.lowerIsBetter ? r < even : r > even;
    }
    t.summary.push_back(sum);
  }
  return t;
}
