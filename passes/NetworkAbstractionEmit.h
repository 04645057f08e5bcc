//===- NetworkAbstractionEmit.h - The network report ------------*- C++ -*-===//
#ifndef DEEPSTACK_PASSES_NETWORKABSTRACTIONEMIT_H
#define DEEPSTACK_PASSES_NETWORKABSTRACTIONEMIT_H

#include "passes/NetworkAbstraction.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

namespace ds {

/// The hierarchy, the groups and every collective, in human units.
void printNetworkReport(const DesignIR &d, const net::NetworkModel &model,
                        const NetworkAbstraction &na, llvm::raw_ostream &os);

/// Just the collectives table.
void printCollectiveTable(const net::NetworkModel &model,
                          llvm::ArrayRef<PricedComm> comms,
                          llvm::raw_ostream &os);

/// Adds a "network" object (SI units) to an open JSON object; without a
/// design, only the collectives.
void writeNetworkJSON(const DesignIR *d, const net::NetworkModel &model,
                      const NetworkAbstraction &na, llvm::json::OStream &j);

} // namespace ds

#endif
