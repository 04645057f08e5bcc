//===- ChipReport.h - One chip's hardware models, evaluated -----*- C++ -*-===//
//
// `deepstack report FILE --component=memory|compute|thermal|area`: the
// memory under reference access patterns with every limit, reference
// operators on the cores, temperatures at full power and the die's area and
// cost. The evaluation is a plain struct; ChipReportEmit prints it as text
// or JSON with the same numbers.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_REPORT_CHIPREPORT_H
#define DEEPSTACK_RUNTIME_REPORT_CHIPREPORT_H

#include "ir/IR.h"
#include "runtime/area/Area.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/report/MemoryReport.h"
#include "runtime/thermal/Thermal.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace ds {

enum class Component { Memory, Compute, Thermal, Area, Network, Chip, All };

struct OpReport {
  std::string name;
  compute::OpCost cost;
  double energy = 0; ///< J
};

struct ChipReport {
  const ChipIR *chip = nullptr;
  const DesignIR *design = nullptr; ///< null when reporting a bare chip
  MemoryReport memory; ///< at the temperature full power gives the DRAM
  std::vector<OpReport> ops;
  double ridgeIntensity = 0; ///< FLOP/byte where BF16 compute meets streaming
  thermal::PowerInput power;
  thermal::ThermalResult thermal;
  area::AreaResult area;
};

/// Evaluates every model of \p chip (in \p design's context if given). The
/// memory is shown under \p patterns (the reference patterns when empty).
ChipReport evaluateChip(const ChipIR &chip, const DesignIR *design,
                        std::vector<PatternReport> patterns = {});

void printChipReport(const ChipReport &r, Component c, llvm::raw_ostream &os);
/// \p extra adds more attributes (e.g. the network) to the top object.
void printChipReportJSON(
    const ChipReport &r, Component c, llvm::raw_ostream &os,
    llvm::function_ref<void(llvm::json::OStream &)> extra = nullptr);

} // namespace ds

#endif
