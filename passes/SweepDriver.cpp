//===- SweepDriver.cpp - Running a search on threads ----------------------===//
//
// Checkpoints and task results as JSON are in SweepCheckpoint.cpp.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepDriver.h"

#include "passes/SweepWorker.h"

#include <atomic>
#include <cmath>
#include <fmt/format.h>
#include <thread>

using namespace ds;
using search::ResultSet;

namespace {
std::atomic<bool> stopRequested{false};
} // namespace

void ds::requestSweepStop() { stopRequested = true; }
bool ds::sweepStopRequested() { return stopRequested.load(); }

//===----------------------------------------------------------------------===//
// TaskPool
//===----------------------------------------------------------------------===//

TaskSource::~TaskSource() = default;
void TaskSource::unfinished(const ResultSet &) {}

TaskPool::TaskPool(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out)
    : s(s), o(o), out(out), fingerprint(sweepFingerprint(s)),
      lastSave(std::chrono::steady_clock::now()) {
  out.results = s.emptyResults();
  out.partial = s.emptyResults();
  out.tasks = s.tasks().size();
}

bool TaskPool::open(std::string &error) {
  if (!o.checkpoint.empty() && !loadCheckpoint(o.checkpoint, fingerprint, done,
                                               out.results, out.stats, error))
    return false;
  out.resumedTasks = done.size();
  for (size_t t = 0; t < s.tasks().size(); ++t)
    if (!done.count(t))
      pending.push_back(t);
  return true;
}

bool TaskPool::next(size_t &task) {
  std::lock_guard<std::mutex> g(lock);
  if (stopped || nextPending >= pending.size())
    return false;
  task = pending[nextPending++];
  return true;
}

void TaskPool::finished(size_t task, const ResultSet &local,
                        const SweepStats &stats) {
  std::lock_guard<std::mutex> g(lock);
  if (!done.insert(task).second)
    return; // reported twice (cannot happen; keeps the statistics honest)
  out.results.merge(local);
  out.stats.add(stats);
  if (out.results.paretoOverflowed() && firstError.empty()) {
    firstError = fmt::format(
        "its Pareto front exceeds {} points (--max-pareto); narrow the space "
        "or name fewer pareto metrics",
        out.results.paretoCapacity());
    stopped = true;
  }
}

void TaskPool::unfinished(const ResultSet &local) {
  std::lock_guard<std::mutex> g(lock);
  out.partial.merge(local);
}

double TaskPool::threshold() {
  std::lock_guard<std::mutex> g(lock);
  return out.results.threshold();
}

void TaskPool::failed(const std::string &error) {
  std::lock_guard<std::mutex> g(lock);
  if (firstError.empty())
    firstError = error;
  stopped = true;
}

void TaskPool::stop() {
  std::lock_guard<std::mutex> g(lock);
  stopped = true;
}

std::string TaskPool::error() {
  std::lock_guard<std::mutex> g(lock);
  return firstError;
}

void TaskPool::checkpoint(bool force) {
  if (o.checkpoint.empty())
    return;
  auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - lastSave).count() <
                    o.checkpointSeconds)
    return;
  lastSave = now;
  std::lock_guard<std::mutex> g(lock);
  std::string err;
  if (!saveCheckpoint(o.checkpoint, fingerprint, done, out.results, out.stats,
                      err) &&
      firstError.empty())
    firstError = err;
}

void TaskPool::progress() {
  if (!o.onProgress)
    return;
  std::lock_guard<std::mutex> g(lock);
  auto top = out.results.top();
  o.onProgress(out.stats, done.size(), out.tasks,
               top.empty() ? std::nan("") : top[0].objective);
}

void TaskPool::close(bool interrupted, bool timedOut) {
  std::lock_guard<std::mutex> g(lock);
  out.interrupted = interrupted;
  out.timedOut = timedOut && done.size() < out.tasks; // else it finished
  out.tasksDone = done.size();
}

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

void ds::runTaskThreads(SweepSearch &s, TaskSource &source, unsigned threads,
                        bool exhaustive, unsigned tickMs,
                        const std::function<bool()> &tick) {
  SharedIncumbent shared;
  shared.raise(source.threshold());
  std::vector<std::thread> pool;
  std::atomic<unsigned> running{std::max(1u, threads)};
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    pool.emplace_back([&] {
      std::string err;
      auto w = s.makeWorker(err);
      if (!w) {
        source.failed(err);
        shared.stop = true;
      }
      size_t task;
      while (w && !shared.stop && source.next(task)) {
        ResultSet local = s.emptyResults();
        SweepStats st;
        s.runTask(*w, task, local, st, shared, exhaustive);
        if (shared.stop) {
          source.unfinished(local); // redone on resume; shown meanwhile
          break;
        }
        source.finished(task, local, st);
        shared.raise(source.threshold());
      }
      --running;
    });
  while (running > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(tickMs));
    if (tick() || stopRequested)
      shared.stop = true;
    shared.raise(source.threshold());
  }
  for (std::thread &t : pool)
    t.join();
}

bool ds::runSweep(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
                  std::string &error) {
  auto start = std::chrono::steady_clock::now();
  stopRequested = false;
  TaskPool pool(s, o, out);
  if (!pool.open(error))
    return false;
  auto lastProgress = start;
  bool timedOut = false;
  runTaskThreads(s, pool, std::min<unsigned>(o.threads, out.tasks),
                 o.exhaustive, 5, [&] {
                   pool.checkpoint(false);
                   auto now = std::chrono::steady_clock::now();
                   if (now - lastProgress >= std::chrono::milliseconds(200)) {
                     pool.progress();
                     lastProgress = now;
                   }
                   if (o.timeLimit > 0 &&
                       std::chrono::duration<double>(now - start).count() >=
                           o.timeLimit)
                     timedOut = true;
                   return timedOut;
                 });
  pool.close(stopRequested.load(), timedOut && !stopRequested.load());
  // A worker that could not be made leaves the search incomplete: no
  // checkpoint then, as before.
  error = pool.error();
  if (!error.empty())
    return false;
  pool.checkpoint(true);
  error = pool.error();
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return error.empty();
}
