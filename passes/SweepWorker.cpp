//===- SweepWorker.cpp - A worker: its leaves and its judgements ----------===//
#include "passes/SweepWorker.h"

#include "ir/Schema.h"
#include "runtime/area/Area.h"
#include "llvm/Support/raw_ostream.h"

using namespace ds;
using search::Point;

namespace {
llvm::raw_null_ostream &nullStream() {
  static thread_local llvm::raw_null_ostream os;
  return os;
}

/// The share of a step in DRAM-bound operators (where the memory side of
/// the roofline binds): the batch-size divide between memory- and
/// compute-bound phases, as the report's "limits" name it.
double memoryShare(const ScheduledStep &s) {
  double compute = 0, memory = 0, network = 0;
  for (const TimeSplit &t : s.byClass) {
    compute += t.compute;
    memory += t.memory;
    network += t.network;
  }
  double all = compute + memory + network;
  return all > 0 ? memory / all : 0;
}

/// Larger is better for the result set.
double oriented(double v, bool maximize) { return maximize ? v : -v; }
} // namespace

void ds::metricValues(const DesignMetrics &m, const DesignIR &d, double area,
                      double cost, std::vector<double> &out) {
  out.assign(metricCount(), 0);
  auto set = [&](llvm::StringRef name, double v) {
    int i = metricIndex(name);
    if (i >= 0)
      out[i] = v;
  };
  set("ttft", m.ttft);
  set("tpot", m.tpot);
  set("latency", m.endToEnd);
  set("step_time", m.decode.step.time);
  set("stps", m.stps);
  set("tps_per_device", m.tokensPerDevice);
  set("tokens_per_joule", m.tokensPerJoule);
  set("energy_per_token", m.energyPerToken);
  set("power", m.avgPower);
  set("memory.used", m.memory.total());
  set("memory.capacity", m.memory.capacity);
  set("thermal.max_temperature", m.thermal.maxTemperature);
  set("area", area);
  set("cost", cost);
  set("devices", double(m.devices));
  set("decode.memory_share", memoryShare(m.decode.step));
  set("prefill.memory_share", memoryShare(m.prefill.step));
  (void)d;
}

SweepSearch::Worker::Worker(std::unique_ptr<Instantiator> instPtr)
    : inst(std::move(instPtr)), space(*inst), env(*inst, space),
      bound(*inst, space, env,
            [this](const NetworkIR &n) -> const net::NetworkModel & {
              return networkFor(n);
            }),
      sizes(space, env) {
  diags = std::make_unique<DiagEngine>(sm, nullStream());
  diags->setErrorLimit(0);
  findBatchLevel();
  findCornerLevels();
}
SweepSearch::Worker::~Worker() = default;

void SweepSearch::Worker::refreshDiags() {
  // Invalid points each leave an error behind: start afresh now and then.
  if (diags->errorCount() > 1000) {
    diags = std::make_unique<DiagEngine>(sm, nullStream());
    diags->setErrorLimit(0);
  }
}

const net::NetworkModel &SweepSearch::Worker::networkFor(const NetworkIR &n) {
  auto key = std::make_pair((const void *)&n, n.generation);
  auto it = networks.find(key);
  if (it != networks.end())
    return *it->second;
  if (networks.size() > 256)
    networks.clear(); // a sweep over many fabrics: keep memory bounded
  auto model = std::make_unique<net::NetworkModel>(net::FabricSpec::fromIR(n));
  return *(networks[key] = std::move(model));
}

double SweepSearch::Worker::rootBound(const TaskPrefix &prefix) {
  std::string error;
  for (unsigned k = 0; k < prefix.size(); ++k) {
    const std::vector<Value> *vals = nullptr;
    if (!env.values(k, vals, error) || prefix[k] >= vals->size())
      return -std::numeric_limits<double>::infinity();
    env.assign(k, (*vals)[prefix[k]]);
  }
  search::ResultSet none;
  SweepStats st;
  SharedIncumbent shared;
  std::atomic<uint64_t> leaves{0}, covered{0};
  std::atomic<double> best{0};
  Context c{&none, &st, &shared, false, &leaves, &covered, &best};
  Judgement j = judge(unsigned(prefix.size()), c);
  return j.cut == Judgement::Keep ? j.best
                                  : -std::numeric_limits<double>::infinity();
}

void SweepSearch::Worker::search(const TaskPrefix &prefix,
                                 search::ResultSet &into, SweepStats &stats,
                                 SharedIncumbent &shared, bool exhaustive,
                                 Live &live, double gap) {
  Context c{&into, &stats, &shared, exhaustive, &live.leaves, &live.covered,
            &live.best, gap};
  if (!incumbentReady) {
    incumbent = search::ResultSet(into.topCapacity(), into.hasPareto());
    incumbentReady = true;
  }
  path.assign(prefix.begin(), prefix.end());
  std::string error;
  for (unsigned k = 0; k < prefix.size(); ++k) {
    const std::vector<Value> *vals = nullptr;
    if (!env.values(k, vals, error) || prefix[k] >= vals->size()) {
      account(c, stats.invalid, 1);
      return;
    }
    env.assign(k, (*vals)[prefix[k]]);
  }
  if (prune(unsigned(prefix.size()), c))
    return;
  descend(unsigned(prefix.size()), c);
}

SweepSearch::Worker::Judgement SweepSearch::Worker::judge(unsigned k,
                                                          Context &c) {
  Judgement j;
  const SweepIR &sw = space.sweep();
  // --exhaustive evaluates every point: no bound of any kind cuts.
  if (c.exhaustive || (sw.constraints.empty() && !sw.objective))
    return j;
  IntervalEnv ie;
  ie.axes = bound.axes(k).data();
  const std::vector<Interval> &mv = bound.metrics(k);
  ie.metrics = mv.data();
  ie.field = [&](llvm::StringRef f) { return bound.field(f, k); };
  // Over-full designs are never reported (evaluate marks them infeasible).
  int used = metricIndex("memory.used"), cap = metricIndex("memory.capacity");
  if (mv[used].lo > mv[cap].hi) {
    j.cut = Judgement::Infeasible;
    return j;
  }
  // A corner search relaxes every require: a point below the corner may
  // meet one the corner does not.
  for (const ExprPtr &r : sw.constraints)
    if (!c.corner && evalInterval(*r, ie).hi == 0) {
      j.cut = Judgement::Constraint;
      return j;
    }
  if (c.exhaustive || !sw.objective)
    return j;
  Interval o = evalInterval(*sw.objective, ie);
  j.best = sw.maximize ? o.hi : -o.lo;
  for (const ExprPtr &p : sw.pareto) {
    Interval v = evalInterval(*p, ie);
    j.corner.push_back(lowerIsBetter(p->name) && p->kind == Expr::Metric ? -v.lo
                                                                          : v.hi);
  }
  return j;
}

double SweepSearch::Worker::cutThreshold(const Context &c) {
  if (c.corner)
    return c.cornerThreshold;
  double threshold = std::max(incumbent.threshold(),
                              c.shared->threshold.load(std::memory_order_relaxed));
  // With --gap, a subtree that could beat the N-th best by less than the
  // gap is cut too: the answer is then certified within that gap.
  if (c.gap > 0 && std::isfinite(threshold))
    threshold += c.gap * std::fabs(threshold);
  return threshold;
}

bool SweepSearch::Worker::boundCuts(const Judgement &j, Context &c) {
  return j.best < cutThreshold(c) &&
         (c.corner || incumbent.paretoExcludes(j.corner));
}

bool SweepSearch::Worker::prune(unsigned k, Context &c) {
  Judgement j = judge(k, c);
  cornerBound(k, j, c);
  bool cut = j.cut != Judgement::Keep || (!c.exhaustive && boundCuts(j, c));
  if (!cut)
    return false;
  uint64_t n = subtreeSize(k);
  account(c,
          j.cut == Judgement::Constraint   ? c.stats->prunedConstraint
          : j.cut == Judgement::Infeasible ? c.stats->infeasible
                                           : c.stats->prunedBound,
          n);
  return true;
}

void SweepSearch::Worker::leaf(Context &c) {
  SweepStats &st = *c.stats;
  c.leaves->fetch_add(1, std::memory_order_relaxed);
  c.covered->fetch_add(1, std::memory_order_relaxed);
  std::string why;
  if (!env.commit(why)) {
    st.invalid += 1;
    return;
  }
  const DesignIR &d = inst->design();
  refreshDiags();
  DesignMetrics m;
  if (!evaluateDesign(d, networkFor(*d.system->network), *diags, m, nullptr,
                      /*explain=*/false)) {
    st.invalid += 1;
    return;
  }
  if (!m.feasible || !m.thermal.feasible) {
    st.infeasible += 1;
    return;
  }
  const ChipIR &chip = *d.system->chip;
  auto areaKey = std::make_pair((const void *)&chip, chip.generation);
  auto ai = areas.find(areaKey);
  if (ai == areas.end()) {
    if (areas.size() > 4096)
      areas.clear();
    area::AreaResult a = area::evaluate(chip);
    ai = areas.emplace(areaKey, std::make_pair(a.perDie, a.totalCost)).first;
  }
  metricValues(m, d, ai->second.first, ai->second.second * double(m.devices),
               metrics);
  st.evaluated += 1;

  const SweepIR &sw = space.sweep();
  NumericEnv ne;
  ne.metrics = metrics.data();
  ne.axes = env.numericAxes().data();
  ne.field = [&](llvm::StringRef f) {
    auto v = inst->field(f);
    return v ? numericOf(*v) : 0.0;
  };
  // The bound must hold at the leaf itself: a check of the roofline on
  // every evaluated point (a violation would make the pruning unsound).
  const std::vector<Interval> &iv = bound.metrics(space.depth());
  for (size_t i = 0; i < iv.size(); ++i)
    if (metrics[i] > iv[i].hi * (1 + 1e-9) + 1e-300 ||
        metrics[i] < iv[i].lo * (1 - 1e-9) - 1e-300) {
      st.boundViolations += 1;
      break;
    }
  for (const ExprPtr &r : sw.constraints)
    if (evalNumber(*r, ne) == 0) {
      st.rejected += 1; // evaluated, then failed a `require`
      return;
    }
  Point p;
  p.path = path;
  p.objective = sw.objective ? oriented(evalNumber(*sw.objective, ne), sw.maximize)
                             : 0;
  if (std::isnan(p.objective)) {
    st.rejected += 1; // evaluated, but an undefined objective ranks nowhere
    return;
  }
  for (const ExprPtr &e : sw.pareto) {
    double v = evalNumber(*e, ne);
    p.pareto.push_back(e->kind == Expr::Metric && lowerIsBetter(e->name) ? -v : v);
  }
  p.axes = env.numericAxes();
  p.metrics = metrics;
  incumbent.offer(p);
  c.into->offer(p);
  // Other workers prune with it at once, not when this task ends.
  c.shared->raise(incumbent.threshold());
  double best = c.best->load(std::memory_order_relaxed);
  while (p.objective > best &&
         !c.best->compare_exchange_weak(best, p.objective)) {
  }
}
