//===- DeviceModel.cpp - Transaction-aware DRAM channel model -------------===//
// PLACEHOLDER until the model lands (issue 4 in progress): peak only.
#include "runtime/dram/DeviceModel.h"

using namespace ds;
using namespace ds::dram;

double Device::peakBandwidth() const { return channels * burstBytes / burstTime; }

llvm::StringRef dram::limitName(Limit l) {
  switch (l) {
  case Limit::Latency: return "latency (Little's law)";
  case Limit::Bus: return "data bus";
  case Limit::Activate: return "activate window (tRRD/tFAW)";
  case Limit::Bank: return "bank cycle (tRC)";
  case Limit::Refresh: return "refresh";
  }
  return "";
}

double dram::estimateRowHitRate(const Device &, const Pattern &) { return 0; }
Result dram::evaluate(const Device &d, const Pattern &) {
  Result r;
  r.bandwidth = d.peakBandwidth();
  return r;
}
