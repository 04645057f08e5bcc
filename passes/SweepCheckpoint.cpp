//===- SweepCheckpoint.cpp - Checkpoints and task results as JSON -------===//
//
// A checkpoint holds the finished tasks, their merged results and the
// statistics; an MPI rank sends each finished task to rank 0 in the same
// format. Written atomically (temp file + rename), read back exactly.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepDriver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace ds;
using search::Point;
using search::ResultSet;
namespace json = llvm::json;

namespace {

// JSON has no infinities, NaN or negative zero, and llvm::json would write
// the first two as bare words it cannot read back: they travel as strings.
// Finite numbers print with 17 digits, so every double reads back exactly.
json::Value number(double x) {
  if (std::isnan(x))
    return "nan";
  if (std::isinf(x))
    return x > 0 ? "inf" : "-inf";
  if (x == 0 && std::signbit(x))
    return "-0";
  return x;
}

bool readNumber(const json::Value &v, double &x) {
  if (auto d = v.getAsNumber()) {
    x = *d;
    return true;
  }
  auto s = v.getAsString();
  if (!s)
    return false;
  if (*s == "nan")
    x = std::nan("");
  else if (*s == "inf" || *s == "-inf")
    x = *s == "inf" ? INFINITY : -INFINITY;
  else if (*s == "-0")
    x = -0.0;
  else
    return false;
  return true;
}

json::Array numbers(const std::vector<double> &v) {
  json::Array a;
  for (double x : v)
    a.push_back(number(x));
  return a;
}

bool readNumbers(const json::Value *v, std::vector<double> &out) {
  const json::Array *a = v ? v->getAsArray() : nullptr;
  if (!a)
    return false;
  for (const json::Value &x : *a) {
    double d;
    if (!readNumber(x, d))
      return false;
    out.push_back(d);
  }
  return true;
}

json::Object pointJson(const Point &p) {
  json::Array path;
  for (uint32_t i : p.path)
    path.push_back(int64_t(i));
  return json::Object{{"path", std::move(path)},
                      {"objective", number(p.objective)},
                      {"pareto", numbers(p.pareto)},
                      {"axes", numbers(p.axes)},
                      {"metrics", numbers(p.metrics)}};
}

bool readPoint(const json::Value &v, Point &p) {
  const json::Object *o = v.getAsObject();
  if (!o)
    return false;
  std::vector<double> path;
  const json::Value *obj = o->get("objective");
  if (!obj || !readNumber(*obj, p.objective) ||
      !readNumbers(o->get("path"), path) ||
      !readNumbers(o->get("pareto"), p.pareto) ||
      !readNumbers(o->get("axes"), p.axes) ||
      !readNumbers(o->get("metrics"), p.metrics))
    return false;
  for (double i : path)
    p.path.push_back(uint32_t(i));
  return true;
}

/// 2: statistics with "rejected" (evaluated, then failed a require).
/// 3: and "probes" (relaxed evaluations of the bounds), "corners".
constexpr int64_t kCheckpointVersion = 3;

const char *const kStatNames[] = {"evaluated",         "rejected",
                                  "pruned_bound",      "pruned_constraint",
                                  "infeasible",        "invalid",
                                  "bound_violations", "probes",
                                  "corners"};
constexpr int kStats = 9;
uint64_t *statField(SweepStats &s, int i) {
  uint64_t *f[] = {&s.evaluated,  &s.rejected, &s.prunedBound,
                   &s.prunedConstraint, &s.infeasible, &s.invalid,
                   &s.boundViolations, &s.probes, &s.corners};
  return f[i];
}

/// The statistics and points of a result set: the body shared by the
/// checkpoint and the messages of MPI ranks.
void writeResults(json::Object &o, const ResultSet &results,
                  const SweepStats &stats) {
  json::Array top, pareto;
  for (const Point &p : results.top())
    top.push_back(pointJson(p));
  for (const Point &p : results.paretoSet())
    pareto.push_back(pointJson(p));
  json::Object st;
  SweepStats copy = stats;
  for (int i = 0; i < kStats; ++i)
    st[kStatNames[i]] = int64_t(*statField(copy, i));
  o["stats"] = std::move(st);
  o["top"] = std::move(top);
  o["pareto"] = std::move(pareto);
}

bool readResults(const json::Object &o, ResultSet &results, SweepStats &stats) {
  if (const json::Object *st = o.getObject("stats"))
    for (int i = 0; i < kStats; ++i)
      if (auto v = st->getInteger(kStatNames[i]))
        *statField(stats, i) = uint64_t(*v);
  for (const char *key : {"top", "pareto"})
    if (const json::Array *a = o.getArray(key))
      for (const json::Value &v : *a) {
        Point p;
        if (!readPoint(v, p))
          return false;
        results.offer(p);
      }
  return true;
}

std::string print(const json::Value &v) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << v;
  return os.str();
}
} // namespace

std::string ds::sweepFingerprint(SweepSearch &s) {
  std::string f = s.sweep().name + "|" + std::to_string(s.tasks().size());
  if (s.gap() > 0)
    f += "|gap " + std::to_string(s.gap());
  f += "|reported " + std::to_string(s.emptyResults().topCapacity());
  f += "|inputs " + s.inputsFingerprint();
  for (const SweepAxis &a : s.sweep().axes)
    f += "|" + a.decl + "." + a.field + "=" + a.values->str();
  for (const ExprPtr &c : s.sweep().constraints)
    f += "|require " + c->str();
  if (s.sweep().objective)
    f += "|objective " + s.sweep().objective->str() +
         (s.sweep().maximize ? " max" : " min");
  f += "|top " + std::to_string(s.sweep().topN);
  for (const ExprPtr &p : s.sweep().pareto)
    f += "|pareto " + p->str();
  return f;
}

bool ds::checkpointPathUsable(const std::string &file, std::string &error) {
  llvm::sys::fs::file_status st;
  // Absent is fine (a fresh start); anything but a regular file is not: the
  // atomic rename would replace a device such as /dev/null (as root), and a
  // FIFO would block the load.
  if (llvm::sys::fs::status(file, st) ||
      st.type() == llvm::sys::fs::file_type::file_not_found ||
      st.type() == llvm::sys::fs::file_type::regular_file)
    return true;
  error = "--checkpoint needs a regular file; '" + file + "' is " +
          (st.type() == llvm::sys::fs::file_type::directory_file
               ? "a directory"
               : "a device, FIFO or socket");
  return false;
}

bool ds::saveCheckpoint(const std::string &file, const std::string &fingerprint,
                        const std::set<size_t> &done, const ResultSet &results,
                        const SweepStats &stats, std::string &error) {
  if (!checkpointPathUsable(file, error))
    return false;
  json::Array doneArr;
  for (size_t t : done)
    doneArr.push_back(int64_t(t));
  json::Object root{{"deepstack_checkpoint", kCheckpointVersion},
                    {"fingerprint", fingerprint},
                    {"done", std::move(doneArr)}};
  writeResults(root, results, stats);
  std::string text = print(json::Value(std::move(root))) + "\n";
  if (llvm::Error e =
          llvm::writeFileAtomically(file + ".tmp%%%%%%", file, text)) {
    error = "cannot write checkpoint '" + file +
            "': " + llvm::toString(std::move(e));
    return false;
  }
  return true;
}

bool ds::loadCheckpoint(const std::string &file, const std::string &fingerprint,
                        std::set<size_t> &done, ResultSet &results,
                        SweepStats &stats, std::string &error) {
  if (!checkpointPathUsable(file, error))
    return false;
  auto buf = llvm::MemoryBuffer::getFile(file);
  if (!buf)
    return true; // no checkpoint yet: a fresh start
  auto parsed = json::parse((*buf)->getBuffer());
  const json::Object *o = parsed ? parsed->getAsObject() : nullptr;
  if (!parsed)
    llvm::consumeError(parsed.takeError());
  if (!o || !o->getInteger("deepstack_checkpoint")) {
    error = "'" + file + "' is not a deepstack sweep checkpoint";
    return false;
  }
  if (*o->getInteger("deepstack_checkpoint") != kCheckpointVersion) {
    error = "checkpoint '" + file + "' was written by another version of "
            "deepstack (its statistics count differently); delete it to "
            "start over";
    return false;
  }
  auto fp = o->getString("fingerprint");
  if (!fp || *fp != fingerprint) {
    error = "checkpoint '" + file +
            "' belongs to another sweep (or the sweep "
            "changed); delete it to start over";
    return false;
  }
  std::vector<double> ids;
  readNumbers(o->get("done"), ids);
  for (double t : ids)
    done.insert(size_t(t));
  if (!readResults(*o, results, stats)) {
    error = "checkpoint '" + file + "' is damaged";
    return false;
  }
  return true;
}

std::string ds::taskResultJson(size_t task, const ResultSet &results,
                               const SweepStats &stats) {
  json::Object root{{"task", int64_t(task)}};
  writeResults(root, results, stats);
  return print(json::Value(std::move(root)));
}

bool ds::readTaskResult(llvm::StringRef text, size_t &task, ResultSet &results,
                        SweepStats &stats) {
  auto parsed = json::parse(text);
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return false;
  }
  const json::Object *o = parsed->getAsObject();
  auto t = o ? o->getInteger("task") : llvm::None;
  if (!t || *t < 0)
    return false;
  task = size_t(*t);
  return readResults(*o, results, stats);
}
