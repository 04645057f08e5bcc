//===- DeviceModel.h - Transaction-aware DRAM channel model -----*- C++ -*-===//
//
// The effective bandwidth of DRAM channels under an access pattern, from the
// device's timings and the controller's queues (DESIGN.md 6.1, detailed
// mode). A Device is plain physics in SI units, built either from a memory
// declaration (runtime/dram/StackModel) or from a row of a DRAM reference
// file (runtime/validate), so the same equations serve both.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_DRAM_DEVICEMODEL_H
#define DEEPSTACK_RUNTIME_DRAM_DEVICEMODEL_H

#include "ir/Enums.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace ds {
namespace dram {

/// One kind of DRAM channel and its controller; all times in seconds.
struct Device {
  unsigned channels = 1;      ///< independent channels, equally loaded
  double tck = 1e-9;          ///< command clock period
  double burstBytes = 64;     ///< bytes per column access
  double burstTime = 2e-9;    ///< data-bus time of one burst
  unsigned ranks = 1;         ///< dies sharing a channel's bus, each with
                              ///< its own banks and activate window
  unsigned bankGroups = 4;
  unsigned banksPerGroup = 4; ///< per rank
  double rowBytes = 2048;
  double tCL = 14e-9, tCWL = 4e-9, tRCD = 14e-9, tRP = 14e-9, tRAS = 34e-9;
  double tRRD_S = 4e-9, tRRD_L = 6e-9, tFAW = 30e-9;
  double tCCD_S = 1e-9, tCCD_L = 2e-9;
  double tWTR_S = 6e-9, tWTR_L = 8e-9, tWR = 16e-9, tRTP = 4e-9;
  RefreshMode refresh = RefreshMode::AllBank;
  double tRFC = 260e-9, tREFI = 3.9e-6;
  unsigned readQueue = 32, writeQueue = 32, bankQueue = 8;
  double seqRunBytes = 2048;  ///< bytes a sequential stream keeps in a bank
  double controllerLatency = 2e-9; ///< controller pipeline per access
  double coupling = 8;        ///< p of the p-norm joining serial limits
                              ///< (inf: the plain bottleneck)
  /// Share of a service an arriving request finds left when the resource is
  /// busy: DRAM service times are deterministic, so half (M/D/1).
  double residual = 0.5;
  /// Idle data-bus clocks (of tck) at a read-to-write switch: JEDEC
  /// tRTW = RL + BL/2 - WL + 2 tCK. Counted in clocks, as JEDEC defines it.
  double rtwBubbleClocks = 2;
  /// Refresh precharges every bank, so the next miss to a bank costs only
  /// tRCD (false: every miss pays tRP + tRCD).
  bool refreshClosesRows = true;
  /// All-bank refresh of one rank also stalls the other ranks once the
  /// outstanding requests pile up on it (false: only tRFC/tREFI is lost).
  bool refreshBlocksRanks = true;

  /// channels * burstBytes / burstTime.
  double peakBandwidth() const;
};

enum class PatternKind { Sequential, Random, Stride, RowLocal, Banks };
/// PatternKind's spellings in order, as DRAM reference files and the
/// command line write them: seq, random, stride, rowloc, banks.
llvm::ArrayRef<const char *> patternKindSpellings();

/// What the cores ask of the memory.
struct Pattern {
  PatternKind kind = PatternKind::Sequential;
  double param = 0;          ///< Stride: bytes; RowLocal: hit probability;
                             ///< Banks: number of banks used
  double requestBytes = 64;  ///< one request stays in one row
  double writeFraction = 0;
  double outstanding = 64;   ///< requests in flight per channel
  double rowHitRate = -1;    ///< measured row-buffer hit rate per burst;
                             ///< < 0: estimated from the pattern
};

/// Which limit the sustained rate sits on.
enum class Limit { Latency, Bus, Activate, Bank, Refresh };
llvm::StringRef limitName(Limit l);

struct Result {
  double bandwidth = 0;   ///< useful (requested) bytes per second, all channels
  double requestRate = 0; ///< requests per second, all channels
  double latency = 0;     ///< mean read latency, queueing in the
                          ///< controller included
  double rowHitRate = 0;  ///< the hit rate the model used
  Limit bound = Limit::Bus;
};

/// The row-buffer hit rate a pattern gets on a device when none is given.
double estimateRowHitRate(const Device &d, const Pattern &p);

/// The sustained bandwidth, latency and binding limit of \p p on \p d.
Result evaluate(const Device &d, const Pattern &p);

} // namespace dram
} // namespace ds

#endif
