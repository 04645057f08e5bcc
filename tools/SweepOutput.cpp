//===- SweepOutput.cpp - A search's results as text, CSV and JSON ---------===//
#include "tools/SweepOutput.h"

#include "frontend/Units.h"
#include "ir/Schema.h"
#include "passes/SweepCompare.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

using namespace ds;
using namespace ds::tool;
using search::Point;

namespace {
struct Row {
  const Point *p;
  int rank; ///< 0: Pareto only
  bool pareto;
};

std::vector<Row> reportedRows(const SweepOutcome &out,
                              std::vector<Point> &top,
                              std::vector<Point> &front) {
  top = out.results.top();
  front = out.results.paretoSet();
  std::vector<Row> rows;
  auto inFront = [&](const Point &p) {
    return std::any_of(front.begin(), front.end(),
                       [&](const Point &q) { return q.path == p.path; });
  };
  for (size_t i = 0; i < top.size(); ++i)
    rows.push_back({&top[i], int(i + 1), inFront(top[i])});
  for (const Point &p : front)
    if (std::none_of(top.begin(), top.end(),
                     [&](const Point &q) { return q.path == p.path; }))
      rows.push_back({&p, 0, true});
  return rows;
}

std::string csvCell(const Value &v) {
  if (v.kind == Value::Number || v.kind == Value::Bool)
    return fmt::format("{}", v.num);
  return v.text;
}

/// A metric for a person: rates as tokens/s, efficiency as tokens/J,
/// everything else in its unit.
std::string metricText(int i, double v) {
  const MetricSchema &m = allMetrics()[i];
  if (m.dim == Dim::frequency())
    return fmt::format("{:.0f} tok/s", v);
  if (m.name == "tokens_per_joule")
    return fmt::format("{:.4g} tok/J", v);
  if (m.name == "devices")
    return fmt::format("{:.0f}", v);
  return formatQuantity(v, m.dim, 4);
}

std::string objectiveText(const SweepIR &s) {
  return s.objective ? (s.maximize ? "maximize " : "minimize ") + s.objective->str()
                     : std::string("no objective");
}

std::string statsText(const SweepReport &r) {
  const SweepStats &s = r.out.stats;
  // A search stopped early: its finished tasks' statistics say little, the
  // live counters say how far it got.
  if (!r.certified) {
    const SweepSearch::Live &l = r.search.live();
    double decided = double(l.covered.load());
    return fmt::format(
        "points {}: NOT certified: stopped after {:.2f} s with {} of {} "
        "tasks finished; {} points decided ({:.3g}%), {} evaluated\n",
        r.size.str(), r.out.seconds, r.out.tasksDone, r.out.tasks,
        uint64_t(decided), 100 * decided / r.size.approx(),
        l.leaves.load());
  }
  double rate = r.out.seconds > 0 ? double(s.evaluated) / r.out.seconds : 0;
  return fmt::format(
      "points {}: evaluated {} ({} failed a require), pruned by bound {}, "
      "by constraint {}, infeasible {}, invalid {}; {:.2f} s, {:.0f} "
      "evaluated points/s{}{}{}\n",
      r.size.str(), s.evaluated, s.rejected, s.prunedBound, s.prunedConstraint,
      s.infeasible, s.invalid, r.out.seconds, rate,
      s.probes ? fmt::format(", {} bound probes ({} corner searches)",
                             s.probes, s.corners)
               : "",
      r.exhaustive             ? " (exhaustive)"
      : r.search.gap() > 0     ? fmt::format(" (certified within {:g}%)",
                                             100 * r.search.gap())
                               : "",
      s.boundViolations ? fmt::format("\nwarning: {} points beat their bound "
                                      "(the pruning is not certified)",
                                      s.boundViolations)
                        : "");
}

/// The sweep's `compare` tables, one per metric, over the reported points.
std::vector<CompareTable> compareTables(const SweepReport &r,
                                        const std::vector<Row> &rows) {
  const SweepIR &sw = r.search.sweep();
  std::vector<CompareTable> out;
  if (sw.compareAxis < 0)
    return out;
  std::vector<ComparePoint> points;
  for (const Row &row : rows) {
    ComparePoint p;
    for (const Value &v : r.search.axisValuesAt(row.p->path))
      p.axes.push_back(v.str());
    p.index = r.search.axisIndicesAt(row.p->path);
    p.metrics = row.p->metrics;
    points.push_back(std::move(p));
  }
  for (const ExprPtr &m : sw.compareMetrics)
    out.push_back(compareTable(sw, metricIndex(m->name), points));
  return out;
}

/// A ratio as "1.32x", a temperature difference as "+1.3 C".
std::string relationText(const CompareTable &t, double r) {
  if (std::isnan(r))
    return "-";
  return t.difference ? fmt::format("{:+.1f} C", r) : fmt::format("{:.2f}x", r);
}

std::string groupText(const CompareTable &t, size_t g) {
  if (t.keyAxes.empty())
    return "all points";
  std::string s;
  for (size_t i = 0; i < t.keyAxes.size(); ++i)
    s += (i ? ", " : "") + t.keyAxes[i] + " " + t.groups[g].key[i];
  return s;
}

std::string alignedTable(const std::vector<std::vector<std::string>> &table) {
  std::vector<size_t> width(table.front().size(), 0);
  for (const auto &line : table)
    for (size_t i = 0; i < line.size(); ++i)
      width[i] = std::max(width[i], line[i].size());
  std::string out;
  for (const auto &line : table) {
    std::string l;
    for (size_t i = 0; i < line.size(); ++i)
      l += fmt::format("{:>{}}  ", line[i], width[i]);
    while (!l.empty() && l.back() == ' ')
      l.pop_back();
    out += l + "\n";
  }
  return out;
}

/// Each comparison as a table (a row per group: its values, then each
/// value's ratio to the baseline) and a line per compared value.
std::string compareText(const SweepReport &r, const std::vector<Row> &rows) {
  const SweepIR &sw = r.search.sweep();
  std::string out;
  for (const CompareTable &t : compareTables(r, rows)) {
    const SweepAxis &a = sw.axes[size_t(sw.compareAxis)];
    int mi = metricIndex(t.metric);
    out += fmt::format("\ncompare {}.{} on {} ({} is better; {} {}):\n",
                       a.decl, a.field, t.metric,
                       t.lowerIsBetter ? "lower" : "higher",
                       t.difference ? "differences from" : "ratios to",
                       t.columns[0]);
    std::vector<std::string> header = t.keyAxes;
    for (const std::string &c : t.columns)
      header.push_back(c);
    for (size_t c = 1; c < t.columns.size(); ++c)
      header.push_back(t.columns[c] + (t.difference ? " - " : "/") +
                       t.columns[0]);
    std::vector<std::vector<std::string>> table{header};
    for (size_t g = 0; g < t.groups.size(); ++g) {
      std::vector<std::string> line = t.groups[g].key;
      for (double v : t.groups[g].values)
        line.push_back(std::isnan(v) ? "-" : metricText(mi, v));
      for (size_t c = 1; c < t.columns.size(); ++c) {
        line.push_back(relationText(t, t.ratio(g, c)));
      }
      table.push_back(std::move(line));
    }
    out += alignedTable(table);
    for (size_t c = 1; c < t.columns.size(); ++c) {
      const CompareTable::Summary &s = t.summary[c - 1];
      if (s.compared == 0) {
        out += fmt::format("{} vs {}: no group has both\n", t.columns[c],
                           t.columns[0]);
        continue;
      }
      const size_t best = t.lowerIsBetter ? s.minGroup : s.maxGroup;
      const size_t worst = t.lowerIsBetter ? s.maxGroup : s.minGroup;
      out += fmt::format(
          "{} vs {}: {} to {} {}, better in {} of {}{}; best at {} ({}), "
          "worst at {} ({})\n",
          t.columns[c], t.columns[0], relationText(t, s.minRatio),
          relationText(t, s.maxRatio), t.metric, s.better, s.compared,
          s.tied ? fmt::format(" ({} tied)", s.tied) : "",
          groupText(t, best), relationText(t, t.ratio(best, c)),
          groupText(t, worst), relationText(t, t.ratio(worst, c)));
    }
  }
  return out;
}

llvm::json::Array compareJson(const SweepReport &r,
                              const std::vector<Row> &rows) {
  namespace json = llvm::json;
  auto num = [](double v) { return std::isnan(v) ? json::Value(nullptr) : json::Value(v); };
  json::Array out;
  const SweepIR &sw = r.search.sweep();
  for (const CompareTable &t : compareTables(r, rows)) {
    json::Array groups, summary;
    for (size_t g = 0; g < t.groups.size(); ++g) {
      json::Object key, values, ratios;
      for (size_t i = 0; i < t.keyAxes.size(); ++i)
        key[t.keyAxes[i]] = t.groups[g].key[i];
      for (size_t c = 0; c < t.columns.size(); ++c) {
        values[t.columns[c]] = num(t.groups[g].values[c]);
        ratios[t.columns[c]] = num(t.ratio(g, c));
      }
      groups.push_back(json::Object{{"key", std::move(key)},
                                    {"values", std::move(values)},
                                    {"ratios", std::move(ratios)}});
    }
    for (size_t c = 1; c < t.columns.size(); ++c) {
      const CompareTable::Summary &s = t.summary[c - 1];
      summary.push_back(json::Object{{"value", t.columns[c]},
                                     {"compared", int64_t(s.compared)},
                                     {"better", int64_t(s.better)},
                                     {"tied", int64_t(s.tied)},
                                     {"min_ratio", num(s.compared ? s.minRatio : NAN)},
                                     {"max_ratio", num(s.compared ? s.maxRatio : NAN)}});
    }
    const SweepAxis &a = sw.axes[size_t(sw.compareAxis)];
    out.push_back(json::Object{{"axis", a.decl + "." + a.field},
                               {"metric", t.metric},
                               {"baseline", t.columns.empty() ? "" : t.columns[0]},
                               {"relation", t.difference ? "difference_K" : "ratio"},
                               {"groups", std::move(groups)},
                               {"summary", std::move(summary)}});
  }
  return out;
}
} // namespace

std::string ds::tool::sweepCsv(const SweepReport &r) {
  std::vector<Point> top, front;
  std::vector<Row> rows = reportedRows(r.out, top, front);
  std::string out = "rank,pareto";
  for (const std::string &c : r.search.columns())
    out += "," + c;
  out += "\n";
  for (const Row &row : rows) {
    out += row.rank ? std::to_string(row.rank) : "";
    out += row.pareto ? ",1" : ",0";
    for (const Value &v : r.search.axisValuesAt(row.p->path))
      out += "," + csvCell(v);
    for (double m : row.p->metrics)
      out += fmt::format(",{}", m);
    out += "\n";
  }
  return out;
}

std::string ds::tool::sweepJson(const SweepReport &r) {
  namespace json = llvm::json;
  std::vector<Point> top, front;
  std::vector<Row> rows = reportedRows(r.out, top, front);
  const SweepIR &sw = r.search.sweep();
  auto pointJson = [&](const Row &row) {
    json::Object axes, metrics;
    std::vector<Value> vals = r.search.axisValuesAt(row.p->path);
    for (size_t i = 0; i < sw.axes.size(); ++i) {
      std::string name = sw.axes[i].decl + "." + sw.axes[i].field;
      if (vals[i].kind == Value::Number)
        axes[name] = vals[i].num;
      else
        axes[name] = vals[i].str();
    }
    auto all = allMetrics();
    for (size_t i = 0; i < all.size(); ++i)
      metrics[all[i].name] = row.p->metrics[i];
    json::Object o{{"axes", std::move(axes)}, {"metrics", std::move(metrics)}};
    if (row.rank)
      o["rank"] = row.rank;
    o["pareto"] = row.pareto;
    return o;
  };
  json::Array topArr, paretoArr;
  for (const Row &row : rows) {
    if (row.rank)
      topArr.push_back(pointJson(row));
    if (row.pareto)
      paretoArr.push_back(pointJson(row));
  }
  const SweepStats &s = r.out.stats;
  json::Object stats{{"evaluated", int64_t(s.evaluated)},
                     {"rejected", int64_t(s.rejected)},
                     {"pruned_bound", int64_t(s.prunedBound)},
                     {"pruned_constraint", int64_t(s.prunedConstraint)},
                     {"infeasible", int64_t(s.infeasible)},
                     {"invalid", int64_t(s.invalid)},
                     {"bound_violations", int64_t(s.boundViolations)},
                     {"probes", int64_t(s.probes)},
                     {"corners", int64_t(s.corners)},
                     {"seconds", r.out.seconds}};
  json::Value root = json::Object{{"schema", "deepstack-sweep/1"},
                                  {"sweep", sw.name},
                                  {"design", sw.design ? sw.design->name : ""},
                                  {"points", r.size.str()},
                                  {"objective", objectiveText(sw)},
                                  {"exhaustive", r.exhaustive},
                                  {"certified", r.certified},
                                  {"gap", r.search.gap()},
                                  {"stats", std::move(stats)},
                                  {"top", std::move(topArr)},
                                  {"pareto", std::move(paretoArr)}};
  if (sw.compareAxis >= 0)
    root.getAsObject()->try_emplace("compare", compareJson(r, rows));
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", root) << "\n";
  return os.str();
}

std::string ds::tool::sweepText(const SweepReport &r) {
  const SweepIR &sw = r.search.sweep();
  std::vector<Point> top, front;
  std::vector<Row> rows = reportedRows(r.out, top, front);
  std::string out = fmt::format("sweep {} over {}: {}\n", sw.name,
                                sw.design ? sw.design->name : "?",
                                objectiveText(sw));
  out += statsText(r);
  // Columns: every axis, then the metrics the sweep names plus STPS/TPOT.
  std::vector<int> shown;
  auto show = [&](llvm::StringRef m) {
    int i = metricIndex(m);
    if (i >= 0 && std::find(shown.begin(), shown.end(), i) == shown.end())
      shown.push_back(i);
  };
  if (sw.objective)
    forEachMetric(*sw.objective, show);
  for (const ExprPtr &p : sw.pareto)
    forEachMetric(*p, show);
  for (const ExprPtr &c : sw.compareMetrics)
    forEachMetric(*c, show);
  show("stps");
  show("tpot");
  show("memory.used");
  std::vector<std::string> header{"rank"};
  for (const SweepAxis &a : sw.axes)
    header.push_back(a.decl + "." + a.field);
  for (int i : shown)
    header.push_back(allMetrics()[i].name.str());
  header.push_back("pareto");
  std::vector<std::vector<std::string>> table{header};
  for (const Row &row : rows) {
    std::vector<std::string> line{row.rank ? std::to_string(row.rank) : "-"};
    for (const Value &v : r.search.axisValuesAt(row.p->path))
      line.push_back(v.str());
    for (int i : shown)
      line.push_back(metricText(i, row.p->metrics[i]));
    line.push_back(row.pareto ? "*" : "");
    table.push_back(std::move(line));
  }
  if (rows.empty()) {
    out += "no point satisfies the sweep's constraints\n";
    return out;
  }
  out += alignedTable(table);
  if (r.search.sweep().pareto.size())
    out += fmt::format("* on the Pareto front ({} point{})\n", front.size(),
                       front.size() == 1 ? "" : "s");
  return out + compareText(r, rows);
}
