//===- Commands.h - What the subcommands of the tool share ------*- C++ -*-===//
//
// tools/deepstack.cpp holds the global options and the dispatch; the
// report and dot commands live in their own files with their options.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_TOOLS_COMMANDS_H
#define DEEPSTACK_TOOLS_COMMANDS_H

#include "frontend/Driver.h"
#include "runtime/report/ChipReport.h"
#include "llvm/Support/CommandLine.h"
#include <string>

namespace ds {
namespace tool {

/// The options' category (a function: options in other files are built
/// before or after this one's, in an order C++ leaves open).
llvm::cl::OptionCategory &category();

/// -I, --set, --show-diag-kind, --error-limit.
FrontendOptions frontendOptions();

/// Checks that need the IR: every design's schedule fills its system.
bool verifyDesigns(Compilation &c);

/// Picks the chip (and its design): \p designName, else the only design of
/// the main file, else its only chip. \p input names the file in errors.
bool pickChip(Compilation &c, llvm::StringRef designName,
              llvm::StringRef input, const ChipIR *&chip,
              const DesignIR *&design);

/// A size such as "64MiB", "1 GB" or "4096" (bytes), at least 0 and finite
/// in bytes.
bool parseBytes(llvm::StringRef text, double &out);

/// The first byte of the main file and its name as diagnostics print it
/// ("<stdin>" for "-"): where whole-file errors are located.
llvm::SMLoc mainFileStart(Compilation &c);
std::string mainFileName(Compilation &c);
/// Writes \p text to \p outputFile atomically (temp file + rename), or to
/// stdout when it is empty or "-".
bool writeOutput(DiagEngine &diags, const std::string &text,
                 const std::string &outputFile);

enum class ReportFormat { Text, JSON, CSV };

/// `deepstack report` on a compiled file: a design's metrics, a chip's
/// components (\p what) or a bare memory's patterns, as \p format, to
/// \p output (stdout when empty). \p name picks the design, chip or memory
/// (the file's only one when empty). The report command's other options
/// (--pattern and its parameters, --print-after, --collective and its
/// parameters) are read where they apply; outside `report` they keep their
/// defaults. Returns the exit code.
int reportOn(Compilation &c, llvm::StringRef input, llvm::StringRef name,
             Component what, ReportFormat format, const std::string &output);

/// `deepstack dot` on a compiled file with its defaults: a design's system
/// view, or a bare chip's chip view, as DOT or SVG. \p name picks the
/// design or chip (the file's only one when empty). Returns the exit code.
int drawDefault(Compilation &c, llvm::StringRef input, llvm::StringRef name,
                bool svg);

extern llvm::cl::SubCommand reportCmd, dotCmd, sweepCmd;
int runReport();
int runDot();
int runSweep();

} // namespace tool
} // namespace ds

#endif
