//===- ReportMemory.h - The memory part of deepstack report -----*- C++ -*-===//
//
// --pattern and its parameters (one access pattern of the user's instead of
// the reference ones), and reports of a bare `memory` declaration, read at
// its controller as a DRAM simulator reads a device.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_TOOLS_REPORTMEMORY_H
#define DEEPSTACK_TOOLS_REPORTMEMORY_H

#include "tools/Commands.h"
#include <vector>

namespace ds {
namespace tool {

/// The pattern of --pattern, --pattern-param, --request, --write-frac,
/// --outstanding and --row-hit on \p m (empty without --pattern). False,
/// with an error, on a bad value, a parameter without --pattern, or
/// --pattern on a report that does not show the memory (\p showsMemory).
bool requestedPatterns(DiagEngine &diags, const MemoryIR &m, bool showsMemory,
                       std::vector<PatternReport> &out);

/// The memory declaration to report on when \p designName names one, or
/// when the main file declares memories and no chip or design; null
/// otherwise. Sets \p failed on an ambiguous choice.
const MemoryIR *pickBareMemory(Compilation &c, llvm::StringRef designName,
                               bool &failed);

/// A bare memory's report (text or JSON), or 1 with an error.
int runMemoryReport(Compilation &c, const MemoryIR &m, Component shown,
                    ReportFormat format, const std::string &outputFile);

} // namespace tool
} // namespace ds

#endif
