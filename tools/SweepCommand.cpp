//===- SweepCommand.cpp - deepstack sweep ---------------------------------===//
//
// Counts or searches a design space: the top-N table (text), every reported
// point as CSV (-o x.csv or --emit=csv) or JSON, the Pareto set, and the
// pruning statistics. A progress line goes to stderr on a terminal.
//
//===----------------------------------------------------------------------===//
#include "tools/Commands.h"

#include "frontend/Units.h"
#include "passes/SweepBound.h"
#include "passes/SweepDriver.h"
#include "passes/SweepMpi.h"
#include "tools/SweepOutput.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <csignal>
#include <fmt/format.h>
#include <thread>

using namespace ds;
using namespace ds::tool;
namespace cl = llvm::cl;

cl::SubCommand ds::tool::sweepCmd("sweep", "Search a design space (a sweep "
                                           "block) for its best designs");

namespace {
cl::opt<std::string> sweepInput(cl::Positional, cl::desc("<file.ds>"),
                                cl::Required, cl::sub(sweepCmd));
cl::opt<std::string> sweepName("sweep", cl::desc("The sweep to run (when the "
                                                 "file declares several)"),
                               cl::value_desc("name"), cl::sub(sweepCmd),
                               cl::cat(category()));
cl::opt<bool> sweepCount("count", cl::desc("Print the number of points and "
                                           "stop (nothing is evaluated)"),
                         cl::sub(sweepCmd), cl::cat(category()));
cl::opt<unsigned> sweepJobs("j", cl::desc("Worker threads (default: all cores)"),
                            cl::value_desc("N"), cl::init(0), cl::Prefix,
                            cl::sub(sweepCmd),
                            cl::cat(category()));
cl::opt<bool> sweepExhaustive("exhaustive",
                              cl::desc("Evaluate every point (no bound "
                                       "pruning; to check the pruning)"),
                              cl::sub(sweepCmd), cl::cat(category()));
cl::opt<int> sweepTop("top", cl::desc("Report the best N (overrides `report "
                                      "top`)"),
                      cl::value_desc("N"), cl::init(0), cl::sub(sweepCmd),
                      cl::cat(category()));
cl::opt<std::string> sweepOutput("o", cl::desc("Write the result to a file "
                                               "(format from the extension: "
                                               ".csv, .json, else text)"),
                                 cl::value_desc("file"), cl::sub(sweepCmd),
                                 cl::cat(category()));
cl::opt<std::string> sweepEmit("emit", cl::desc("text, csv or json"),
                               cl::value_desc("fmt"), cl::sub(sweepCmd),
                               cl::cat(category()));
cl::opt<std::string> sweepCheckpoint("checkpoint",
                                     cl::desc("Save progress to FILE every few "
                                              "seconds and resume from it"),
                                     cl::value_desc("file"), cl::sub(sweepCmd),
                                     cl::cat(category()));
cl::opt<double> sweepCheckpointEvery(
    "checkpoint-every", cl::desc("Seconds between checkpoint writes"),
    cl::value_desc("s"), cl::init(2), cl::sub(sweepCmd), cl::cat(category()));
cl::opt<double> sweepGap("gap",
                         cl::desc("Certify only within this relative gap "
                                  "(0.05: nothing unreported beats the N-th "
                                  "best by 5% or more; default 0, exact)"),
                         cl::value_desc("fraction"), cl::init(0),
                         cl::sub(sweepCmd), cl::cat(category()));
cl::opt<double> sweepTimeLimit(
    "time-limit",
    cl::desc("Stop after this many seconds and report the best points found "
             "so far, marked not certified (with --checkpoint, a rerun goes "
             "on)"),
    cl::value_desc("s"), cl::init(0), cl::sub(sweepCmd), cl::cat(category()));
cl::opt<unsigned> sweepMaxPareto(
    "max-pareto",
    cl::desc("The largest Pareto front kept; a larger one stops the search "
             "with an error (default 100000)"),
    cl::value_desc("n"), cl::init(100000), cl::sub(sweepCmd),
    cl::cat(category()));
cl::opt<bool> sweepQuiet("quiet", cl::desc("No progress line"),
                         cl::sub(sweepCmd), cl::cat(category()));

void onInterrupt(int) { requestSweepStop(); }

const SweepIR *pickSweep(Compilation &c) {
  const Module &m = *c.module();
  if (!sweepName.empty()) {
    if (const SweepIR *s = m.findSweep(sweepName))
      return s;
    c.diags().report(llvm::SMLoc(), DiagKind::UnknownSweep, sweepName);
    return nullptr;
  }
  std::vector<const SweepIR *> mine;
  for (const SweepIR &s : m.sweeps)
    for (const DeclIR *d : m.mainFileDecls)
      if (d == &s)
        mine.push_back(&s);
  if (mine.size() == 1)
    return mine[0];
  if (mine.empty()) {
    c.diags().report(mainFileStart(c), DiagKind::NoSweep, mainFileName(c));
    return nullptr;
  }
  std::string names;
  for (const SweepIR *s : mine)
    names += (names.empty() ? "" : ", ") + s->name;
  c.diags().report(mine[1]->loc, DiagKind::ChooseSweep, mainFileName(c),
                   names);
  return nullptr;
}

/// From the workers' live counters: points decided (evaluated or cut) out
/// of the space, leaves evaluated per second, the ETA at that pace, and the
/// best objective found.
std::string progressLine(const SweepSearch::Live &live, double total,
                         double seconds, bool maximize) {
  double covered = double(live.covered.load());
  double leaves = double(live.leaves.load());
  double frac = total > 0 ? std::min(1.0, covered / total) : 1;
  std::string eta = frac > 0 && frac < 1
                        ? fmt::format("{:.0f} s", seconds * (1 - frac) / frac)
                        : "-";
  double best = live.best.load();
  std::string b = std::isfinite(best) ? formatNumber(maximize ? best : -best, 4)
                                      : "-";
  return fmt::format("\r[{:5.1f}%] decided {:.4g} of {:.4g} points, "
                     "evaluated {:.0f} ({:.0f}/s), pruned {:.4g}, ETA {}, "
                     "best {}   ",
                     100 * frac, covered, total, leaves,
                     seconds > 0 ? leaves / seconds : 0,
                     std::max(0.0, covered - leaves), eta, b);
}
} // namespace

int ds::tool::runSweep() {
  Compilation c(frontendOptions());
  if (!c.run(sweepInput) || !verifyDesigns(c))
    return 1;
  const SweepIR *sw = pickSweep(c);
  if (!sw)
    return 1;
  auto fail = [&](const std::string &msg) {
    c.diags().report(sw->loc, DiagKind::SweepFailed, sw->name, msg);
    return 1;
  };
  // Under mpirun every rank gets here with the same sweep; rank 0 alone
  // prints and writes files.
  SweepMpi mpi;
  std::string error;
  if (!mpi.init(error))
    return fail(error);
  SweepSearch search(frontendOptions(), sweepInput, sw->name);
  if (!search.prepare(error))
    return fail(error);
  SpaceSize size;
  if (!search.space().count(size, error)) {
    int a = search.space().failedAxis();
    c.diags().report(a >= 0 ? sw->axes[a].loc : sw->loc, DiagKind::SweepFailed,
                     sw->name, error);
    return 1;
  }
  if (sweepCount) {
    if (!mpi.isRoot())
      return 0;
    llvm::outs() << fmt::format("{}\n", size.str());
    if (size.log10 >= 0)
      llvm::outs() << fmt::format("log10 {:.3f}\n", double(size.log10));
    return 0;
  }
  std::string why;
  if (size.log10 > 18 && !canBoundObjective(*sw, why)) {
    c.diags().report(sw->objective ? sw->objective->loc : sw->loc,
                     DiagKind::SweepTooLarge, sw->name, size.str(), why);
    return 1;
  }
  // Counters are 64-bit: a space they cannot count is refused.
  if (size.overflow || size.exact >= ((unsigned __int128)1 << 63)) {
    c.diags().report(sw->loc, DiagKind::SweepFailed, sw->name,
                     "its " + size.str() + " points exceed what the search "
                     "can count (2^63); split it into smaller sweeps");
    return 1;
  }
  // Format and destination.
  std::string format = sweepEmit;
  if (format.empty()) {
    llvm::StringRef ext = llvm::sys::path::extension(sweepOutput.getValue());
    format = ext == ".csv" ? "csv" : ext == ".json" ? "json" : "text";
  }
  if (format != "text" && format != "csv" && format != "json") {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "unknown --emit '" + format + "'; expected text, csv or json");
    return 1;
  }
  if (sweepTop.getNumOccurrences() && (sweepTop < 1 || sweepTop > 1000000)) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--top expects a whole number from 1 to 1000000");
    return 1;
  }
  if (sweepTop > 0)
    search.setTopN(sweepTop);
  // A checkpoint resumes only the same inputs: every loaded file's text,
  // the include paths and the --set overrides.
  {
    llvm::hash_code h = llvm::hash_value(sweepInput.getValue());
    for (unsigned i = 1; i <= c.sourceMgr().getNumBuffers(); ++i)
      h = llvm::hash_combine(h, c.sourceMgr().getMemoryBuffer(i)->getBuffer());
    FrontendOptions fo = frontendOptions();
    for (const std::string &d : fo.includeDirs)
      h = llvm::hash_combine(h, d);
    for (const std::string &set : fo.settings)
      h = llvm::hash_combine(h, set);
    search.setInputsFingerprint(std::to_string(size_t(h)));
  }
  if (!(sweepGap >= 0 && sweepGap < 1)) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--gap expects a fraction from 0 to below 1");
    return 1;
  }
  search.setGap(sweepGap);
  if (sweepMaxPareto < 1) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--max-pareto expects at least 1 point");
    return 1;
  }
  search.setMaxPareto(sweepMaxPareto);
  if (!(sweepTimeLimit >= 0) || !std::isfinite(sweepTimeLimit)) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--time-limit expects a number of seconds, at least 0");
    return 1;
  }
  if (sweepTimeLimit > 0 && mpi.size() > 1) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--time-limit runs in one process; under mpirun, stop "
                     "with Ctrl-C and --checkpoint");
    return 1;
  }

  unsigned threads = sweepJobs ? sweepJobs.getValue()
                               : std::max(1u, std::thread::hardware_concurrency());
  // A fixed split (unless the workers are many) lets a checkpoint resume
  // with another -j or number of ranks.
  size_t wanted = std::max<size_t>(1024, size_t(threads) * mpi.size() * 32);
  if (!search.planTasks(mpi.rootValue(wanted), error))
    return fail(error);
  SweepRunOptions o;
  o.threads = threads;
  o.exhaustive = sweepExhaustive;
  o.checkpoint = sweepCheckpoint;
  o.checkpointSeconds = sweepCheckpointEvery;
  o.timeLimit = sweepTimeLimit;
  bool tty = llvm::sys::Process::StandardErrIsDisplayed() && !sweepQuiet &&
             mpi.isRoot();
  auto t0 = std::chrono::steady_clock::now();
  bool printed = false;
  if (tty)
    o.onProgress = [&](const SweepStats &s, size_t done, size_t total,
                       double best) {
      double secs = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - t0)
                        .count();
      (void)s, (void)done, (void)total, (void)best;
      llvm::errs() << progressLine(search.live(), size.approx(), secs,
                                   sw->maximize);
      printed = true;
    };
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  SweepOutcome out;
  bool ok = mpi.run(search, o, out, error);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (printed)
    llvm::errs() << "\n";
  if (!mpi.isRoot()) // rank 0 reports for everyone
    return !ok ? 1 : out.interrupted ? 130 : 0;
  if (!ok)
    return fail(error);
  // Stopped early: the best points found so far (finished tasks and those
  // cut short), reported as not certified.
  bool stoppedEarly = out.interrupted || out.timedOut;
  bool shown = out.timedOut || (sweepOutput.empty() && format == "text");
  if (stoppedEarly) {
    llvm::errs() << fmt::format(
        "{} after {} of {} tasks{}{}\n",
        out.interrupted ? "interrupted" : "stopped by --time-limit",
        out.tasksDone, out.tasks,
        sweepCheckpoint.empty() ? ""
                                : "; progress saved in " + sweepCheckpoint.getValue(),
        shown ? "; the points reported are the best found so far, not "
                "certified"
              : "");
    out.results.merge(out.partial);
  }
  SweepReport r{search, out, size, sweepExhaustive, !stoppedEarly};
  // Ctrl-C shows the best so far on the terminal but writes no file: a
  // script must not mistake it for a result (--time-limit does write,
  // marked "certified": false in JSON).
  if (out.interrupted) {
    if (shown)
      llvm::outs() << sweepText(r);
    return 130;
  }
  std::string text = format == "csv"    ? sweepCsv(r)
                     : format == "json" ? sweepJson(r)
                                        : sweepText(r);
  return writeOutput(c.diags(), text, sweepOutput) ? 0 : 1;
}
