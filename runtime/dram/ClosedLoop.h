//===- ClosedLoop.h - Mean value analysis of a closed loop ------*- C++ -*-===//
//
// A fixed number of requests circulate through a few kinds of resources
// (data bus, activate window, banks) and a pure delay (the unloaded
// latency). Mean value analysis gives their throughput; a p-norm of the
// per-request demands gives the saturation rate of resources that a request
// uses one after the other.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_DRAM_CLOSEDLOOP_H
#define DEEPSTACK_RUNTIME_DRAM_CLOSEDLOOP_H

#include "llvm/ADT/ArrayRef.h"

namespace ds {
namespace dram {

/// One kind of resource: `count` identical servers, each visited `visits`
/// times per request for `service` time units.
struct Station {
  double count, visits, service;
};

/// Throughput (requests per time unit) of \p population requests through
/// \p stations and a delay \p delay, capped at \p xMax. An arriving request
/// waits for the queue ahead except the one in service, plus \p residual
/// of a service when the server is busy.
///
/// The result is the best rate of any population up to \p population: a
/// controller can always hold requests back, so more never lower the rate.
double meanValueAnalysis(unsigned population, double delay,
                         const Station (&stations)[3], double residual,
                         double xMax);

/// ||d||_p for p >= 1; p = inf gives the largest element.
double pNorm(llvm::ArrayRef<double> d, double p);

} // namespace dram
} // namespace ds

#endif
