//===- AddressMap.h - How an access pattern spreads over banks --*- C++ -*-===//
//
// The controller's address map keeps a run of `seqRunBytes` in one bank and
// then moves on: bank group fastest, then bank in the group, then rank, then
// row. This decides, per pattern, how many banks, ranks and bank groups the
// requests reach and how many consecutive requests share a row, which is
// all the transaction model needs to know about addresses.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_DRAM_ADDRESSMAP_H
#define DEEPSTACK_RUNTIME_DRAM_ADDRESSMAP_H

#include "runtime/dram/DeviceModel.h"

namespace ds {
namespace dram {

/// How consecutive requests of a pattern move between banks.
enum class Flow {
  Stream,     ///< a run of requests in one bank, then the next bank group
  Rotation,   ///< every request opens a row in the next bank of a rotation
  RandomRuns, ///< geometric runs in one row, each run in a random bank
  Random,     ///< independent requests to random banks
};

struct BankSpread {
  Flow flow = Flow::Random;
  double banks = 1;  ///< banks touched
  double ranks = 1;  ///< ranks touched
  double groups = 1; ///< bank groups touched
  double run = 1;    ///< requests per run in one row; 0: geometric runs
                     ///< whose mean follows from the row hit rate
};

/// The bytes the map keeps in one bank before moving on (at least a burst).
double runBytes(const Device &d);

/// Where the requests of \p p, each \p bursts bursts long, go on \p d.
BankSpread spreadOf(const Device &d, const Pattern &p, double bursts);

} // namespace dram
} // namespace ds

#endif
