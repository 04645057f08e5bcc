//===- MemoryReport.h - A memory under access patterns ----------*- C++ -*-===//
//
// `deepstack report FILE --component=memory`: a chip's DRAM stacks (at the
// temperature full power gives them, seen from the cores) or a bare memory
// declaration (at its controller, as a DRAM simulator measures a device),
// under the reference access patterns or one the user names
// (--pattern=...), with every limit and the one that binds.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_REPORT_MEMORYREPORT_H
#define DEEPSTACK_RUNTIME_REPORT_MEMORYREPORT_H

#include "ir/IR.h"
#include "runtime/dram/StackModel.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace ds {

/// A bare memory has no chip to heat it: it is read at 45 C, inside the
/// JEDEC normal range (refresh every tREFI).
constexpr double kBareMemoryKelvin = 273.15 + 45.0;

/// Requests in flight meaning "as many as the controller buffer holds"
/// (evaluateStack caps outstanding at buffer / request): what the memory
/// sustains when the cores keep it busy.
constexpr double kAllInFlight = 1e9;

struct PatternReport {
  std::string name;
  dram::Pattern pattern;
  dram::StackResult result;
};

struct MemoryReport {
  const MemoryIR *memory = nullptr;
  double temperature = 0; ///< K, the DRAM is read at
  dram::Vantage vantage = dram::Vantage::Cores;
  std::vector<PatternReport> patterns;
};

/// What an architect reads a memory by: streaming reads of L2 lines (4
/// sectors), a 30% write mix, random sector and line reads with the
/// controller buffer full, and one request in flight.
std::vector<PatternReport> referencePatterns(const MemoryIR &m);

/// A pattern's name in a report, from its parameters: "random 64 B, 30%
/// writes, 8 in flight".
std::string describePattern(const dram::Pattern &p);

/// Evaluates \p patterns on \p m (their results are filled in).
MemoryReport evaluateMemory(const MemoryIR &m, double temperature,
                            dram::Vantage vantage,
                            std::vector<PatternReport> patterns);

void printMemoryReport(const MemoryReport &r, llvm::raw_ostream &os);
/// The "memory" object of a report's JSON.
void writeMemoryJSON(const MemoryReport &r, llvm::json::OStream &j);

} // namespace ds

#endif
