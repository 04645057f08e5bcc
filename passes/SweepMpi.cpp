//===- SweepMpi.cpp - A search spread over MPI ranks ----------------------===//
//
// The protocol (MPI_COMM_WORLD, rank 0 the coordinator):
//   worker -> 0   Request            -> Reply {next task or -1, threshold}
//   worker -> 0   Result (JSON)      -> Reply {-2, threshold}
//   worker -> 0   Error (text)       -> Reply {-1, threshold}
//   worker -> 0   Bye                   (its threads are done)
//   0 -> worker   Stop                  (interrupted or failed: abandon
//                                        the current task)
//   0 -> worker   Final {exit status}   (after every rank said Bye)
// Each worker request gets exactly one reply and a worker rank has at most
// one request outstanding (its threads take turns under a mutex), so
// replies cannot cross. Rank 0 answers from its main thread while its own
// threads search; it sends Final only after every Bye, and a worker waits
// for Final before finalising, so nobody leaves with a message in flight.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepMpi.h"

#include <mpi.h>

#include <cstdlib>
#include <thread>

using namespace ds;
using search::ResultSet;

namespace {
enum Tag : int {
  TagRequest = 1,
  TagResult,
  TagError,
  TagBye,
  TagReply,
  TagStop,
  TagFinal
};

struct Reply {
  int64_t task; ///< >= 0: run it; -1: no more tasks; -2: acknowledged
  double threshold;
};

constexpr int kRoot = 0;

void sendText(const std::string &text, int to, int tag) {
  MPI_Send(text.data(), int(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

/// The tasks of a worker rank come from rank 0.
class RemoteSource : public TaskSource {
public:
  bool next(size_t &task) override {
    std::lock_guard<std::mutex> g(lock);
    if (exhausted)
      return false;
    MPI_Send(nullptr, 0, MPI_CHAR, kRoot, TagRequest, MPI_COMM_WORLD);
    int64_t t = awaitReply();
    if (t < 0) {
      exhausted = true;
      return false;
    }
    task = size_t(t);
    return true;
  }

  void finished(size_t task, const ResultSet &local,
                const SweepStats &stats) override {
    std::string text = taskResultJson(task, local, stats);
    std::lock_guard<std::mutex> g(lock);
    sendText(text, kRoot, TagResult);
    awaitReply();
  }

  double threshold() override { return best.load(); }

  void failed(const std::string &error) override {
    std::lock_guard<std::mutex> g(lock);
    sendText(error, kRoot, TagError);
    awaitReply();
    exhausted = true;
  }

  /// True once rank 0 asked this rank to stop.
  bool stopAsked() {
    std::lock_guard<std::mutex> g(lock);
    int flag = 0;
    if (!stopped)
      MPI_Iprobe(kRoot, TagStop, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (flag) {
      MPI_Recv(nullptr, 0, MPI_CHAR, kRoot, TagStop, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      stopped = exhausted = true;
    }
    return stopped;
  }

  /// Says this rank is done and returns the run's exit status from rank 0.
  int bye() {
    std::lock_guard<std::mutex> g(lock);
    MPI_Send(nullptr, 0, MPI_CHAR, kRoot, TagBye, MPI_COMM_WORLD);
    for (;;) {
      MPI_Status st;
      int status = 0;
      MPI_Probe(kRoot, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == TagFinal) {
        MPI_Recv(&status, 1, MPI_INT, kRoot, TagFinal, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        return status;
      }
      // A Stop sent before Final.
      MPI_Recv(nullptr, 0, MPI_CHAR, kRoot, st.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
    }
  }

private:
  int64_t awaitReply() {
    Reply r;
    MPI_Recv(&r, sizeof r, MPI_BYTE, kRoot, TagReply, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    double cur = best.load();
    while (r.threshold > cur && !best.compare_exchange_weak(cur, r.threshold)) {
    }
    return r.task;
  }

  std::mutex lock;        ///< MPI_THREAD_SERIALIZED: one MPI call at a time
  bool exhausted = false; ///< rank 0 has no more tasks for us
  bool stopped = false;   ///< rank 0 sent Stop
  std::atomic<double> best{-std::numeric_limits<double>::infinity()};
};

/// Rank 0: its pool serves its own threads and, from the main thread, the
/// other ranks.
class Coordinator {
public:
  Coordinator(SweepSearch &s, TaskPool &pool, int ranks)
      : s(s), pool(pool), ranks(ranks) {}

  /// Answers every message waiting; stops the workers when interrupted or
  /// failed; true when there was something to do.
  bool serve() {
    bool busy = false;
    for (;;) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
      if (!flag)
        break;
      busy = true;
      handle(st);
    }
    if (!stopSent && (sweepStopRequested() || !pool.error().empty())) {
      pool.stop();
      if (sweepStopRequested())
        pool.checkpoint(true); // before mpirun's SIGKILL can come
      for (int r = 1; r < ranks; ++r)
        MPI_Send(nullptr, 0, MPI_CHAR, r, TagStop, MPI_COMM_WORLD);
      stopSent = true;
    }
    return busy;
  }

  bool everyoneLeft() const { return byes == ranks - 1; }

  void finish(int status) {
    for (int r = 1; r < ranks; ++r)
      MPI_Send(&status, 1, MPI_INT, r, TagFinal, MPI_COMM_WORLD);
  }

private:
  void handle(const MPI_Status &st) {
    int n = 0;
    MPI_Get_count(&st, MPI_CHAR, &n);
    std::string text(size_t(n), '\0');
    MPI_Recv(text.data(), n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::string from = "rank " + std::to_string(st.MPI_SOURCE) + ": ";
    Reply r{-2, 0};
    switch (st.MPI_TAG) {
    case TagRequest: {
      size_t t;
      r.task = pool.next(t) ? int64_t(t) : -1;
      break;
    }
    case TagResult: {
      size_t t;
      ResultSet local = s.emptyResults();
      SweepStats stats;
      if (readTaskResult(text, t, local, stats) && t < s.tasks().size())
        pool.finished(t, local, stats);
      else
        pool.failed(from + "sent a damaged task result");
      break;
    }
    case TagError:
      pool.failed(from + text);
      r.task = -1;
      break;
    case TagBye:
      ++byes;
      return;
    default:
      pool.failed(from + "sent an unknown message " +
                  std::to_string(st.MPI_TAG));
      return;
    }
    r.threshold = pool.threshold();
    MPI_Send(&r, sizeof r, MPI_BYTE, st.MPI_SOURCE, TagReply, MPI_COMM_WORLD);
  }

  SweepSearch &s;
  TaskPool &pool;
  int ranks;
  int byes = 0;
  bool stopSent = false;
};

/// False on every rank when some rank planned another sweep or task list
/// (another file on its host): its results would land in the wrong tasks.
bool sameSweepEverywhere(SweepSearch &s, int rank, std::string &error) {
  std::string mine = sweepFingerprint(s);
  uint64_t n = mine.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, kRoot, MPI_COMM_WORLD);
  std::string root(n, '\0');
  if (rank == kRoot)
    root = mine;
  MPI_Bcast(root.data(), int(n), MPI_CHAR, kRoot, MPI_COMM_WORLD);
  int differs = root != mine, anyDiffers = 0;
  MPI_Allreduce(&differs, &anyDiffers, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (anyDiffers && rank == kRoot)
    error = "the ranks planned different sweeps or task lists (is the same "
            "file on every host?)";
  return !anyDiffers;
}

bool runRoot(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
             int ranks, std::string &error) {
  auto start = std::chrono::steady_clock::now();
  TaskPool pool(s, o, out);
  std::string openError;
  bool opened = pool.open(openError);
  if (!opened)
    pool.failed(openError);
  Coordinator coord(s, pool, ranks);
  auto lastProgress = start;
  auto housekeeping = [&] {
    pool.checkpoint(false);
    auto now = std::chrono::steady_clock::now();
    if (now - lastProgress >= std::chrono::milliseconds(200)) {
      pool.progress();
      lastProgress = now;
    }
  };
  // The main thread answers the other ranks within a millisecond.
  if (opened)
    runTaskThreads(s, pool, o.threads, o.exhaustive, 1, [&] {
      while (coord.serve()) {
      }
      housekeeping();
      return !pool.error().empty(); // another rank failed
    });
  while (!coord.everyoneLeft()) {
    if (!coord.serve())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    housekeeping();
  }
  pool.close(sweepStopRequested(), /*timedOut=*/false);
  error = pool.error();
  if (error.empty())
    pool.checkpoint(true);
  error = pool.error();
  coord.finish(!error.empty() ? 1 : out.interrupted ? 130 : 0);
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return error.empty();
}

bool runWorker(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
               std::string &error) {
  RemoteSource source;
  runTaskThreads(s, source, o.threads, o.exhaustive, 50,
                 [&] { return source.stopAsked(); });
  int status = source.bye();
  out.interrupted = status == 130;
  error.clear(); // rank 0 reports failures
  return status != 1;
}
} // namespace

SweepMpi::~SweepMpi() {
  if (initialised)
    MPI_Finalize();
}

bool SweepMpi::init(std::string &error) {
  const char *size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (!size || std::atoi(size) <= 1)
    return true;
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) !=
      MPI_SUCCESS) {
    error = "cannot initialise MPI";
    return false;
  }
  initialised = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &worldRank);
  MPI_Comm_size(MPI_COMM_WORLD, &worldSize);
  if (provided < MPI_THREAD_SERIALIZED) {
    error = "the MPI library does not support threads (MPI_THREAD_SERIALIZED)";
    return false;
  }
  return true;
}

size_t SweepMpi::rootValue(size_t v) {
  if (worldSize <= 1)
    return v;
  uint64_t x = v;
  MPI_Bcast(&x, 1, MPI_UINT64_T, kRoot, MPI_COMM_WORLD);
  return size_t(x);
}

bool SweepMpi::run(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
                   std::string &error) {
  if (worldSize <= 1)
    return runSweep(s, o, out, error);
  if (!sameSweepEverywhere(s, worldRank, error))
    return false;
  if (worldRank == kRoot)
    return runRoot(s, o, out, worldSize, error);
  return runWorker(s, o, out, error);
}
