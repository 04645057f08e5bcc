//===- SweepMpi.h - A search spread over MPI ranks --------------*- C++ -*-===//
//
// `mpirun -np N deepstack sweep FILE`: every rank compiles the sweep and
// plans the same tasks; rank 0 holds the TaskPool (checkpoint included) and
// hands out task ids on request, receives each finished task's points (the
// checkpoint's JSON format), merges them and answers with the current
// incumbent threshold, so every rank prunes with the best bound found
// anywhere. Each rank runs its tasks on its own threads (-j is per rank).
// Rank 0 alone writes output. Without mpirun, or with one rank, this is the
// single-process search (runSweep) and MPI is never initialised.
//
// Built without MPI (no libopenmpi-dev at configure time), a process that
// finds itself started by mpirun with several ranks says so and fails.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SWEEPMPI_H
#define DEEPSTACK_PASSES_SWEEPMPI_H

#include "passes/SweepDriver.h"

namespace ds {

class SweepMpi {
public:
  SweepMpi() = default;
  SweepMpi(const SweepMpi &) = delete;
  SweepMpi &operator=(const SweepMpi &) = delete;
  /// Finalises MPI if init() initialised it.
  ~SweepMpi();

  /// Joins the MPI world when mpirun started this process with more than
  /// one rank; otherwise does nothing. False with \p error when it cannot.
  bool init(std::string &error);
  /// More than one rank: run() distributes the search.
  bool distributed() const { return worldSize > 1; }
  /// Writes outputs and diagnostics of the run (rank 0, or no MPI).
  bool isRoot() const { return worldRank == 0; }
  int rank() const { return worldRank; }
  int size() const { return worldSize; }

  /// Rank 0's \p v on every rank (all ranks call it): the task split must
  /// not depend on a rank's core count.
  size_t rootValue(size_t v);

  /// Runs the search over every rank (after checking that all planned the
  /// same sweep and tasks). On rank 0 (and without MPI) as
  /// runSweep. On the other ranks \p out holds only `interrupted`, and a
  /// failure elsewhere returns false with an empty \p error (rank 0 reports
  /// it).
  bool run(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
           std::string &error);

private:
  int worldRank = 0, worldSize = 1;
  bool initialised = false;
};

} // namespace ds

#endif
