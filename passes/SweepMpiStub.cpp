//===- SweepMpiStub.cpp - SweepMpi when built without MPI -----------------===//
//
// Compiled instead of SweepMpi.cpp when CMake finds no MPI: one process.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepMpi.h"

#include <cstdlib>

using namespace ds;

SweepMpi::~SweepMpi() = default;

bool SweepMpi::init(std::string &error) {
  const char *size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size && std::atoi(size) > 1) {
    error = "started by mpirun with " + std::string(size) +
            " ranks, but this deepstack was built without MPI (install "
            "libopenmpi-dev and rebuild)";
    return false;
  }
  return true;
}

size_t SweepMpi::rootValue(size_t v) { return v; }

bool SweepMpi::run(SweepSearch &s, const SweepRunOptions &o, SweepOutcome &out,
                   std::string &error) {
  return runSweep(s, o, out, error);
}
