//===- SweepSearch.cpp - Pruned search of a design space ------------------===//
#include "passes/SweepSearch.h"

#include "passes/SweepBound.h"
#include "passes/SweepWorker.h"

#include <algorithm>

using namespace ds;
using search::Point;
using search::ResultSet;

void SweepStats::add(const SweepStats &o) {
  evaluated += o.evaluated;
  rejected += o.rejected;
  prunedBound += o.prunedBound;
  prunedConstraint += o.prunedConstraint;
  infeasible += o.infeasible;
  invalid += o.invalid;
  boundViolations += o.boundViolations;
  probes += o.probes;
  corners += o.corners;
}

void SharedIncumbent::raise(double t) {
  double cur = threshold.load();
  while (t > cur && !threshold.compare_exchange_weak(cur, t)) {
  }
}

SweepSearch::SweepSearch(FrontendOptions opts, std::string path,
                         std::string sweep)
    : opts(std::move(opts)), path(std::move(path)),
      sweepName(std::move(sweep)) {}
SweepSearch::~SweepSearch() = default;

bool SweepSearch::prepare(std::string &error) {
  planner = Instantiator::create(opts, path, sweepName, error);
  if (!planner)
    return false;
  planSpace = std::make_unique<SweepSpace>(*planner);
  return true;
}

SweepSpace &SweepSearch::space() { return *planSpace; }
const SweepIR &SweepSearch::sweep() const { return planner->sweep(); }

bool SweepSearch::planTasks(size_t wanted, std::string &error) {
  // Expand level by level until there are enough prefixes (or none left).
  PathEnv env(*planner, *planSpace);
  std::vector<TaskPrefix> level{TaskPrefix()};
  unsigned depth = 0;
  while (level.size() < wanted && depth < planSpace->depth()) {
    std::vector<TaskPrefix> next;
    for (const TaskPrefix &p : level) {
      for (unsigned k = 0; k < depth; ++k) {
        const std::vector<Value> *vals = nullptr;
        if (!env.values(k, vals, error))
          return false;
        env.assign(k, (*vals)[p[k]]);
      }
      const std::vector<Value> *vals = nullptr;
      if (!env.values(depth, vals, error))
        return false;
      for (uint32_t i = 0; i < vals->size(); ++i) {
        TaskPrefix q = p;
        q.push_back(i);
        next.push_back(std::move(q));
      }
    }
    level = std::move(next);
    ++depth;
    if (level.empty())
      break;
  }
  taskList = std::move(level);
  splitDepth = depth;
  return orderTasks(error);
}

// Tasks run best bound first: the first tasks then hold the best designs,
// and the incumbent they set cuts most later tasks at their root. The
// order is a pure function of the sweep, the same on every rank.
bool SweepSearch::orderTasks(std::string &error) {
  if (!sweep().objective || taskList.size() < 2)
    return true;
  auto w = makeWorker(error);
  if (!w)
    return false;
  std::vector<std::pair<double, size_t>> keyed;
  for (size_t i = 0; i < taskList.size(); ++i)
    keyed.push_back({w->rootBound(taskList[i]), i});
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto &a, const auto &b) { return a.first > b.first; });
  std::vector<TaskPrefix> ordered;
  for (const auto &k : keyed)
    ordered.push_back(std::move(taskList[k.second]));
  taskList = std::move(ordered);
  return true;
}

ResultSet SweepSearch::emptyResults() const {
  const SweepIR &s = sweep();
  // Without an objective every point ties: the top N are the first N in
  // enumeration order that satisfy the constraints.
  int64_t n = topOverride > 0 ? topOverride : s.topN;
  return ResultSet(size_t(n), !s.pareto.empty(), maxPareto);
}

std::vector<std::string> SweepSearch::columns() const {
  std::vector<std::string> cols;
  for (const SweepAxis &a : sweep().axes)
    cols.push_back(a.decl + "." + a.field);
  for (const MetricSchema &m : allMetrics())
    cols.push_back(m.name.str());
  return cols;
}

std::unique_ptr<SweepSearch::Worker>
SweepSearch::makeWorker(std::string &error) {
  auto inst = Instantiator::create(opts, path, sweepName, error);
  if (!inst)
    return nullptr;
  return std::make_unique<Worker>(std::move(inst));
}

void SweepSearch::runTask(Worker &w, size_t t, ResultSet &into,
                          SweepStats &stats, SharedIncumbent &shared,
                          bool exhaustive) {
  w.search(taskList[t], into, stats, shared, exhaustive, liveState,
           relativeGap);
}

std::vector<unsigned>
SweepSearch::axisIndicesAt(const search::Path &p) const {
  std::vector<unsigned> out(sweep().axes.size(), 0);
  for (unsigned k = 0; k < p.size() && k < planSpace->depth(); ++k)
    out[planSpace->order()[k]] = p[k];
  return out;
}

std::vector<Value> SweepSearch::axisValuesAt(const search::Path &p) {
  PathEnv env(*planner, *planSpace);
  std::string error;
  for (unsigned k = 0; k < p.size() && k < planSpace->depth(); ++k) {
    const std::vector<Value> *vals = nullptr;
    if (!env.values(k, vals, error) || p[k] >= vals->size())
      break;
    env.assign(k, (*vals)[p[k]]);
  }
  std::vector<Value> out;
  for (unsigned a = 0; a < sweep().axes.size(); ++a)
    out.push_back(env.axisValue(int(a)));
  return out;
}
