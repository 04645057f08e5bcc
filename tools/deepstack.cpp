//===- deepstack.cpp - The DeepStack command line -------------------------===//
//
// Argument handling only: subcommands map onto frontend/Driver and the
// passes (report and dot have files of their own). The work runs on a
// thread with a large stack so that deeply nested (but legal) input cannot
// overflow it.
//
//===----------------------------------------------------------------------===//
#include "tools/Commands.h"

#include "frontend/Driver.h"
#include "frontend/Units.h"
#include "passes/NetworkAbstraction.h"
#include "passes/ServingReference.h"
#include "runtime/validate/Validate.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

#include <cmath>

using namespace ds;
using namespace ds::tool;
namespace cl = llvm::cl;

llvm::cl::OptionCategory &ds::tool::category() {
  static llvm::cl::OptionCategory c("DeepStack options");
  return c;
}

namespace {
cl::SubCommand checkCmd("check", "Check a .ds file and report every error");
cl::SubCommand emitCmd(
    "emit",
    "Print a stage of the compilation (--emit=ast|ir|report|json|csv|dot|svg)");
cl::SubCommand validateCmd(
    "validate", "Print the model's error against reference measurements (CSV)");
cl::list<std::string> validateInputs(cl::Positional, cl::desc("<file.csv>..."),
                                     cl::OneOrMore, cl::sub(validateCmd));
cl::SubCommand schemaCmd("schema",
                         "Print the field reference (docs/fields.md) as Markdown");

cl::opt<std::string> checkInput(cl::Positional, cl::desc("<file.ds>"),
                                cl::Required, cl::sub(checkCmd));
cl::opt<std::string> emitInput(cl::Positional, cl::desc("<file.ds>"),
                               cl::Required, cl::sub(emitCmd));

cl::opt<std::string> emitDesign(
    "design",
    cl::desc("The design, chip or memory of the later stages (default: the "
             "file's only one)"),
    cl::value_desc("name"), cl::sub(emitCmd), cl::cat(category()));

enum class EmitKind { AST, IR, Report, JSON, CSV, Dot, Svg };
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to print"), cl::init(EmitKind::IR),
    cl::values(
        clEnumValN(EmitKind::AST, "ast", "the syntax tree"),
        clEnumValN(EmitKind::IR, "ir", "the checked, typed IR"),
        clEnumValN(EmitKind::Report, "report",
                   "the evaluation, as `deepstack report` prints it"),
        clEnumValN(EmitKind::JSON, "json", "the evaluation as JSON"),
        clEnumValN(EmitKind::CSV, "csv", "a design's metrics as one CSV row"),
        clEnumValN(EmitKind::Dot, "dot",
                   "a design's system (a chip's stack) as Graphviz DOT"),
        clEnumValN(EmitKind::Svg, "svg", "the same diagram as SVG")),
    cl::sub(emitCmd), cl::cat(category()));

cl::list<std::string> includeDirs("I", cl::desc("Add a directory to the import search path"),
                                  cl::value_desc("dir"), cl::Prefix,
                                  cl::sub(*cl::AllSubCommands), cl::cat(category()));
cl::list<std::string> settings(
    "set", cl::desc("Override a field: --set decl.field=value"),
    cl::value_desc("decl.field=value"), cl::sub(*cl::AllSubCommands),
    cl::cat(category()));
cl::opt<bool> showDiagKind("show-diag-kind",
                           cl::desc("Append [Kind] to every diagnostic"),
                           cl::sub(*cl::AllSubCommands), cl::Hidden);
cl::opt<unsigned> errorLimit("error-limit",
                             cl::desc("Stop after this many errors (0: no limit)"),
                             cl::init(50), cl::sub(*cl::AllSubCommands),
                             cl::cat(category()));

} // namespace

FrontendOptions ds::tool::frontendOptions() {
  FrontendOptions o;
  o.includeDirs.assign(includeDirs.begin(), includeDirs.end());
  o.settings.assign(settings.begin(), settings.end());
  o.showDiagKind = showDiagKind;
  o.errorLimit = errorLimit;
  return o;
}

/// Checks that need the IR: every design's schedule fills its system.
bool ds::tool::verifyDesigns(Compilation &c) {
  bool ok = true;
  for (const DesignIR &d : c.module()->designs)
    ok &= checkParallelLayout(d, c.diags());
  return ok;
}


llvm::SMLoc ds::tool::mainFileStart(Compilation &c) {
  llvm::SourceMgr &sm = c.sourceMgr();
  return llvm::SMLoc::getFromPointer(
      sm.getMemoryBuffer(sm.getMainFileID())->getBufferStart());
}

std::string ds::tool::mainFileName(Compilation &c) {
  llvm::SourceMgr &sm = c.sourceMgr();
  return sm.getMemoryBuffer(sm.getMainFileID())->getBufferIdentifier().str();
}

bool ds::tool::pickChip(Compilation &c, llvm::StringRef designName,
              llvm::StringRef input, const ChipIR *&chip,
              const DesignIR *&design) {
  const Module &m = *c.module();
  std::vector<const DesignIR *> designs;
  std::vector<const ChipIR *> chips;
  for (const DesignIR &d : m.designs)
    if (llvm::is_contained(m.mainFileDecls, &d))
      designs.push_back(&d);
  for (const ChipIR &ch : m.chips)
    if (llvm::is_contained(m.mainFileDecls, &ch))
      chips.push_back(&ch);
  if (!designName.empty()) {
    for (const DesignIR &d : m.designs)
      if (d.name == designName)
        design = &d;
    for (const ChipIR &ch : m.chips)
      if (ch.name == designName)
        chip = &ch;
    if (!design && !chip) {
      c.diags().report(llvm::SMLoc(), DiagKind::UnknownDesign, designName,
                       input);
      return false;
    }
  } else if (designs.size() == 1) {
    design = designs[0];
  } else if (designs.size() > 1) {
    // Located at the second candidate: the input, not the command line,
    // is what made the choice ambiguous.
    c.diags().report(designs[1]->loc, DiagKind::ChooseDesign,
                     mainFileName(c),
                     std::to_string(designs.size()) + " designs");
    return false;
  } else if (chips.size() == 1) {
    chip = chips[0];
  } else {
    if (chips.empty())
      c.diags().report(mainFileStart(c), DiagKind::NothingToReport,
                       mainFileName(c));
    else
      c.diags().report(chips[1]->loc, DiagKind::ChooseDesign,
                       mainFileName(c),
                       std::to_string(chips.size()) + " chips");
    return false;
  }
  if (design)
    chip = design->system->chip;
  return true;
}

bool ds::tool::parseBytes(llvm::StringRef text, double &out) {
  text = text.trim();
  size_t end = text.find_first_not_of("0123456789.eE+-");
  llvm::StringRef number = text.take_front(end), unit = text.drop_front(
                                                     number.size()).trim();
  if (number.getAsDouble(out) || !std::isfinite(out) || out < 0)
    return false;
  if (unit.empty())
    return true;
  auto u = lookupUnit(unit);
  if (!u || !(u->dim == Dim::bytes()))
    return false;
  out = out * u->scale;
  return std::isfinite(out);
}

namespace {
int runCheck() {
  Compilation c(frontendOptions());
  return c.run(checkInput) && verifyDesigns(c) ? 0 : 1;
}

int runEmit() {
  Compilation c(frontendOptions());
  bool astOnly = emitKind == EmitKind::AST;
  if (!c.run(emitInput, astOnly) || (!astOnly && !verifyDesigns(c)))
    return 1;
  // The later stages are the report and dot commands with their defaults.
  switch (emitKind) {
  case EmitKind::AST:
    ast::printAST(*c.sema().mainFile(), c.sourceMgr(), llvm::outs());
    return 0;
  case EmitKind::IR:
    printIR(*c.module(), llvm::outs());
    return 0;
  case EmitKind::Report:
  case EmitKind::JSON:
  case EmitKind::CSV: {
    ReportFormat f = emitKind == EmitKind::Report ? ReportFormat::Text
                     : emitKind == EmitKind::JSON ? ReportFormat::JSON
                                                  : ReportFormat::CSV;
    return reportOn(c, emitInput, emitDesign, Component::All, f, "");
  }
  case EmitKind::Dot:
  case EmitKind::Svg:
    return drawDefault(c, emitInput, emitDesign, emitKind == EmitKind::Svg);
  }
  return 1;
}

int dispatch() {
  if (dotCmd)
    return runDot();
  if (checkCmd)
    return runCheck();
  if (emitCmd)
    return runEmit();
  if (reportCmd)
    return runReport();
  if (sweepCmd)
    return runSweep();
  if (validateCmd) {
    llvm::SourceMgr sm;
    DiagEngine diags(sm);
    diags.setShowKind(showDiagKind);
    std::vector<std::string> files(validateInputs.begin(), validateInputs.end());
    registerPassSchemas();
    return validateFiles(files, diags, llvm::outs()) ? 0 : 1;
  }
  if (schemaCmd) {
    printSchemaMarkdown(llvm::outs());
    return 0;
  }
  llvm::WithColor::error(llvm::errs(), "deepstack")
      << "no command given; try 'deepstack --help'\n";
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  tuneAllocator();
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "deepstack " << DEEPSTACK_VERSION << "\n";
  });
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "DeepStack: 3D-stacked AI system compiler\n",
                                   &llvm::errs()))
    return 1;
  int rc = 1;
  // 512 MiB of stack: input limits bound recursion far below this.
  llvm::thread worker(llvm::Optional<unsigned>(512u << 20),
                      [&rc] { rc = dispatch(); });
  worker.join();
  llvm::outs().flush();
  return rc;
}
