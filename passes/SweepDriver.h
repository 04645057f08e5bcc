//===- SweepDriver.h - Running a search on threads --------------*- C++ -*-===//
//
// Runs the tasks of a SweepSearch on N threads (each with its own
// compilation). The threads take tasks from a TaskSource: this process's
// TaskPool, which merges task results into one ResultSet under a lock and
// shares the incumbent threshold, or (passes/SweepMpi.h) a coordinator on
// another MPI rank. With a checkpoint file, the pool writes finished tasks,
// their merged results and the statistics atomically every few seconds and
// on interruption; a rerun with the same file skips them, and because
// results merge in a total order the output is the same as an
// uninterrupted run.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPDRIVER_H
#define DEEPSTACK_PASSES_SWEEPDRIVER_H

#include "passes/SweepSearch.h"
#include "llvm/ADT/StringRef.h"
#include <chrono>
#include <functional>
#include <mutex>
#include <set>

namespace ds {

struct SweepRunOptions {
  unsigned threads = 1;
  bool exhaustive = false;
  std::string checkpoint;       ///< empty: none
  double checkpointSeconds = 2; ///< between checkpoint writes
  double timeLimit = 0;         ///< s; stop then with the best so far (0: none)
  /// Called about 5 times a second from the main thread (progress bar).
  std::function<void(const SweepStats &, size_t tasksDone, size_t tasks,
                     double bestObjective)>
      onProgress;
};

struct SweepOutcome {
  search::ResultSet results;
  SweepStats stats;
  double seconds = 0;
  bool interrupted = false; ///< stopped by a signal; the checkpoint holds
  bool timedOut = false;    ///< stopped by SweepRunOptions::timeLimit
  /// The points of tasks cut short by a stop: shown with the finished
  /// tasks' as the best found so far, never checkpointed (such a task is
  /// redone on resume).
  search::ResultSet partial;
  size_t tasksDone = 0, tasks = 0;
  size_t resumedTasks = 0; ///< done in an earlier run (checkpoint)
};

/// Where a process's worker threads get tasks and send their results.
/// Called from several threads at once.
class TaskSource {
public:
  virtual ~TaskSource();
  /// The next task to run; false when none is left (or the run stops).
  virtual bool next(size_t &task) = 0;
  /// Task \p task ran to completion (an interrupted task is not reported:
  /// it is redone on resume).
  virtual void finished(size_t task, const search::ResultSet &local,
                        const SweepStats &stats) = 0;
  /// A task cut short by a stop: its points so far (not a result: the task
  /// is redone on resume). By default they are dropped.
  virtual void unfinished(const search::ResultSet &local);
  /// The N-th best objective known: subtrees below it are pruned.
  virtual double threshold() = 0;
  /// A thread could not make its worker: the run fails with \p error.
  virtual void failed(const std::string &error) = 0;
};

/// The tasks of one search held by the process that owns its results: the
/// tasks not yet handed out, those finished, the merged results and the
/// checkpoint. Thread-safe.
class TaskPool : public TaskSource {
public:
  TaskPool(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out);

  /// Loads the checkpoint, if any: false with \p error when it belongs to
  /// another sweep or is damaged.
  bool open(std::string &error);

  bool next(size_t &task) override;
  void finished(size_t task, const search::ResultSet &local,
                const SweepStats &stats) override;
  void unfinished(const search::ResultSet &local) override;
  double threshold() override;
  void failed(const std::string &error) override;

  /// Hands out no more tasks.
  void stop();
  /// The first error (worker, checkpoint write), empty when none.
  std::string error();
  /// Saves the checkpoint (if any) when \p force or when the interval has
  /// passed since the last save.
  void checkpoint(bool force);
  /// Reports progress through the options' callback.
  void progress();
  /// Fills the outcome's counters at the end of the run.
  void close(bool interrupted, bool timedOut);

private:
  SweepSearch &s;
  const SweepRunOptions &o;
  SweepOutcome &out;
  std::string fingerprint;
  std::mutex lock;
  std::set<size_t> done;
  std::vector<size_t> pending;
  size_t nextPending = 0;
  bool stopped = false;
  std::string firstError;
  std::chrono::steady_clock::time_point lastSave;
};

/// Runs tasks from \p source on \p threads threads (each with its own
/// worker) until it has none left, a stop is requested or a worker cannot
/// be made. The calling thread calls \p tick every \p tickMs milliseconds
/// meanwhile (checkpoints, progress, messages from other ranks; true
/// abandons the running tasks) and raises the threads' pruning threshold to
/// the source's.
void runTaskThreads(SweepSearch &s, TaskSource &source, unsigned threads,
                    bool exhaustive, unsigned tickMs,
                    const std::function<bool()> &tick);

/// Asks every running search to stop (from a signal handler).
void requestSweepStop();
/// True once requestSweepStop was called in this run.
bool sweepStopRequested();

/// Runs the whole search in this process. False with \p error when a
/// worker cannot be made or the checkpoint belongs to another sweep.
bool runSweep(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
              std::string &error);

/// The checkpoint's identity: the sweep, its size and its task split.
std::string sweepFingerprint(SweepSearch &s);

/// True when \p file can hold a checkpoint: absent or a regular file.
bool checkpointPathUsable(const std::string &file, std::string &error);

/// Reads/writes a checkpoint (JSON). Exposed for MPI rank 0 and tests.
bool loadCheckpoint(const std::string &file, const std::string &fingerprint,
                    std::set<size_t> &done, search::ResultSet &results,
                    SweepStats &stats, std::string &error);
bool saveCheckpoint(const std::string &file, const std::string &fingerprint,
                    const std::set<size_t> &done,
                    const search::ResultSet &results, const SweepStats &stats,
                    std::string &error);

/// One finished task as JSON, its points in the checkpoint's format: what
/// an MPI rank sends to rank 0.
std::string taskResultJson(size_t task, const search::ResultSet &results,
                           const SweepStats &stats);
/// Reads taskResultJson's text, offering its points to \p results.
bool readTaskResult(llvm::StringRef text, size_t &task,
                    search::ResultSet &results, SweepStats &stats);

} // namespace ds

#endif
