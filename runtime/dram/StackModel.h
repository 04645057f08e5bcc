//===- StackModel.h - A memory declaration's DRAM stacks --------*- C++ -*-===//
//
// Turns a `memory` declaration into the channel device of the transaction
// model and adds what is specific to stacks (DESIGN.md 6.1): capacity from
// all layers, peak from connected layers, the vertical link limit per
// connected layer, recharge hiding between layers that share a port, Little's
// law with the controller buffer and the on-chip round trip, refresh derated
// above 85 C, and energy per byte.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_DRAM_STACKMODEL_H
#define DEEPSTACK_RUNTIME_DRAM_STACKMODEL_H

#include "ir/IR.h"
#include "runtime/dram/DeviceModel.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace ds {
namespace dram {

/// Refresh runs twice as often above this temperature (JEDEC).
constexpr double kHotRefreshKelvin = 273.15 + 85.0;

/// The channel device of a stack at a DRAM temperature (kelvin). Every
/// channel of every stack on the chip is one channel of the device; dies
/// sharing a vertical port act as ranks on its channels.
Device deviceFor(const MemoryIR &m, double temperature);

/// One limit on the sustained bandwidth, for reports. Names are string
/// literals (static storage), so a result costs no allocation.
struct StackLimit {
  llvm::StringRef name;
  double bandwidth; ///< bytes/s, whole chip
};

struct StackResult {
  double capacity = 0;       ///< bytes: stacks * layers * layer_capacity
  double channelPeak = 0;    ///< bytes/s: stacks * Lc * C * w * f
  double verticalPeak = 0;   ///< bytes/s: stacks * Lc * vertical bandwidth
  double peak = 0;           ///< min of the two
  double bandwidth = 0;      ///< sustained useful bytes/s for the pattern
  double latency = 0;        ///< mean read latency seen by a core
  double rowHitRate = 0;
  double outstanding = 0;    ///< requests in flight per channel, after the
                             ///< controller buffer's cap
  double rechargeEfficiency = 1; ///< simple mode's E(L, Lc)
  double refreshOverhead = 0;    ///< tRFC / tREFI at the temperature
  double energyPerByte = 0;      ///< J per byte moved (activate + access +
                                 ///< vertical link)
  double backgroundPower = 0;    ///< W, all dies
  llvm::StringRef boundBy;       ///< the binding limit (a static string)
  llvm::SmallVector<StackLimit, 6> limits; ///< every limit considered
};

/// Where the requests in flight are counted from.
enum class Vantage {
  Cores,     ///< the cores: they also wait the on-chip round trip, and
             ///< their buffered bytes bound the rate (Little's law)
  Controller ///< the memory controller, as a DRAM simulator measures a
             ///< device alone: no round trip; the detailed model's closed
             ///< loop holds the requests in flight (the simple model keeps
             ///< Little's law on the device latency)
};

/// The stacks of \p m serving pattern \p p at DRAM temperature
/// \p temperature (kelvin). `p.outstanding` is capped by the controller
/// buffer (memory.buffer / request size per channel).
StackResult evaluateStack(const MemoryIR &m, const Pattern &p,
                          double temperature,
                          Vantage vantage = Vantage::Cores);

/// Total channels on the chip: stacks * connected_layers * channels_per_layer.
double totalChannels(const MemoryIR &m);

} // namespace dram
} // namespace ds

#endif
