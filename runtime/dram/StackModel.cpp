//===- StackModel.cpp - A memory declaration's DRAM stacks ----------------===//
#include "runtime/dram/StackModel.h"

#include <algorithm>
#include <cmath>

using namespace ds;
using namespace ds::dram;

double dram::totalChannels(const MemoryIR &m) {
  return double(m.stacks) * double(m.connectedLayers) *
         double(m.channelsPerLayer);
}

Device dram::deviceFor(const MemoryIR &m, double temperature) {
  Device d;
  d.channels = unsigned(totalChannels(m));
  // DDR signalling: two transfers per command clock.
  d.tck = 2.0 / m.dataRate;
  d.burstBytes = m.busWidth * double(m.burstLength);
  d.burstTime = double(m.burstLength) / m.dataRate;
  // Dies behind one port have their own banks and activate windows but share
  // the port's data bus: to the controller they are ranks. Ports serve
  // layers / connected_layers dies on average.
  d.ranks = unsigned(std::max<int64_t>(
      1, (m.layers + m.connectedLayers / 2) / m.connectedLayers));
  d.bankGroups = unsigned(m.bankGroups);
  d.banksPerGroup = unsigned(std::max<int64_t>(1, m.banksPerChannel / m.bankGroups));
  d.rowBytes = m.rowSize;
  d.tCL = m.tCL;
  d.tCWL = m.tCWL;
  d.tRCD = m.tRCD;
  d.tRP = m.tRP;
  d.tRAS = m.tRAS;
  d.tRRD_S = m.tRRD;
  d.tRRD_L = m.tRRDL;
  d.tFAW = m.tFAW;
  d.tCCD_S = m.tCCD;
  d.tCCD_L = m.tCCDL;
  d.tWTR_S = m.tWTR;
  d.tWTR_L = m.tWTRL;
  d.tWR = m.tWR;
  d.tRTP = m.tRTP;
  d.refresh = m.refresh;
  d.tRFC = m.tRFC;
  // Above 85 C cells leak faster: JEDEC halves the refresh interval.
  d.tREFI = temperature > kHotRefreshKelvin ? m.tREFI / 2 : m.tREFI;
  d.readQueue = unsigned(m.readQueue);
  d.writeQueue = unsigned(m.writeQueue);
  d.bankQueue = unsigned(m.bankQueue);
  d.seqRunBytes = m.seqRun;
  d.controllerLatency = m.controllerLatency;
  d.coupling = m.coupling;
  return d;
}

namespace {
/// The published recharge-hiding efficiency (DESIGN.md 6.1, simple mode):
/// a port whose dies take turns hides each die's recharge behind another's
/// row read. With at least two dies per port (Lc <= L/2) it is fully hidden;
/// with one die per port (Lc = L) the port idles during every recharge:
/// E_fc = t_row / (t_row + t_recharge); linear in between.
double rechargeEfficiency(const MemoryIR &m) {
  double tRow = m.rowSize / (m.busWidth * m.dataRate);
  double tRecharge = m.tRP + m.tRCD;
  double eFull = tRow / (tRow + tRecharge);
  double L = double(m.layers), Lc = double(m.connectedLayers);
  if (Lc <= L / 2)
    return 1.0;
  double t = (Lc - L / 2) / (L / 2);
  return 1.0 - t * (1.0 - eFull);
}

/// "DRAM timing: " + limitName(l), spelled out so that no result builds a
/// string.
llvm::StringRef timingLimitName(Limit l) {
  switch (l) {
  case Limit::Latency:
    return "DRAM timing: latency (Little's law)";
  case Limit::Bus:
    return "DRAM timing: data bus";
  case Limit::Activate:
    return "DRAM timing: activate window (tRRD/tFAW)";
  case Limit::Bank:
    return "DRAM timing: bank cycle (tRC)";
  case Limit::Refresh:
    return "DRAM timing: refresh";
  }
  return "DRAM timing: ";
}
} // namespace

StackResult dram::evaluateStack(const MemoryIR &m, const Pattern &pattern,
                                double temperature, Vantage vantage) {
  StackResult r;
  double stacks = double(m.stacks), Lc = double(m.connectedLayers);
  r.capacity = stacks * double(m.layers) * m.layerCapacity;
  r.channelPeak = totalChannels(m) * m.busWidth * m.dataRate;
  r.verticalPeak = stacks * Lc * m.verticalBandwidth;
  r.peak = std::min(r.channelPeak, r.verticalPeak);
  r.rechargeEfficiency = rechargeEfficiency(m);

  Device dev = deviceFor(m, temperature);
  r.refreshOverhead = dev.refresh == RefreshMode::None ? 0.0
                      : dev.refresh == RefreshMode::AllBank
                          ? dev.tRFC / dev.tREFI
                          : dev.tRFC / (dev.tREFI * dev.ranks *
                                        dev.bankGroups * dev.banksPerGroup);

  // The controller can only hold `buffer` bytes of requests per channel.
  Pattern p = pattern;
  double request = std::max(p.requestBytes, 1.0);
  double bufferSlots = std::max(1.0, std::floor(m.buffer / request));
  p.outstanding = std::max(1.0, std::min(p.outstanding, bufferSlots));
  r.outstanding = p.outstanding;

  double sustained;
  llvm::StringRef sustainedName;
  if (m.mode == DramMode::Simple) {
    double moved = std::ceil(request / dev.burstBytes) * dev.burstBytes;
    sustained = r.peak * r.rechargeEfficiency * (1 - r.refreshOverhead) *
                request / moved;
    sustainedName = "recharge hiding (simple)";
    r.latency = dev.tRCD + dev.tCL + dev.burstTime + dev.controllerLatency;
    r.rowHitRate = p.rowHitRate >= 0 ? p.rowHitRate
                                     : estimateRowHitRate(dev, p);
  } else {
    Result d = evaluate(dev, p);
    sustained = d.bandwidth;
    sustainedName = timingLimitName(d.bound);
    r.latency = d.latency;
    r.rowHitRate = p.rowHitRate >= 0 ? p.rowHitRate : d.rowHitRate;
  }
  // Cores see the controller's latency plus the on-chip round trip; their
  // buffered bytes bound what they can sustain (Little's law). At the
  // controller the detailed model's closed loop already holds the
  // requests; the simple model has none, so Little's law stays, on the
  // device latency alone.
  bool atCores = vantage == Vantage::Cores;
  bool littlesLimit = atCores || m.mode == DramMode::Simple;
  double coreLatency = r.latency + (atCores ? m.roundTrip : 0.0);
  double littles = totalChannels(m) * p.outstanding * request / coreLatency;
  r.latency = coreLatency;

  // The limits are written in place: building each in a temporary and
  // copying it in costs a stalled reload per limit.
  unsigned count = littlesLimit ? 4 : 3;
  r.limits.resize_for_overwrite(count);
  StackLimit *limits = r.limits.data();
  limits[0].name = "channel peak";
  limits[0].bandwidth = r.channelPeak;
  limits[1].name = "vertical link";
  limits[1].bandwidth = r.verticalPeak;
  limits[2].name = sustainedName;
  limits[2].bandwidth = sustained;
  if (littlesLimit) {
    limits[3].name = "buffering (Little's law)";
    limits[3].bandwidth = littles;
  }

  r.bandwidth = std::min({sustained, r.verticalPeak,
                          littlesLimit ? littles : sustained});
  // The first of the smallest.
  unsigned bound = 0;
  for (unsigned i = 1; i < count; ++i)
    if (limits[i].bandwidth < limits[bound].bandwidth)
      bound = i;
  r.boundBy = limits[bound].name;

  // Energy: one activate per missed row, array access and the vertical hop
  // for every bit moved (a request smaller than a burst moves the burst).
  double bursts = std::ceil(request / dev.burstBytes);
  double movedBytes = bursts * dev.burstBytes;
  double activates = std::min(1.0, bursts * (1 - r.rowHitRate));
  // Per-bit energies are stored in SI as joules per byte.
  double bitsEnergy = movedBytes * (m.accessEnergy + m.verticalEnergy);
  r.energyPerByte = (activates * m.activateEnergy + bitsEnergy) / request;
  r.backgroundPower = stacks * double(m.layers) * m.backgroundPower;
  return r;
}
