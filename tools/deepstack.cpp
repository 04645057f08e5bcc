//===- deepstack.cpp - The DeepStack command line -------------------------===//
//
// Argument handling only: subcommands map onto frontend/Driver. The work runs
// on a thread with a large stack so that deeply nested (but legal) input
// cannot overflow it.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "frontend/Units.h"
#include "passes/DesignReport.h"
#include "passes/Diagram.h"
#include "passes/ServingReference.h"
#include "passes/NetworkAbstractionEmit.h"
#include "runtime/report/ChipReport.h"
#include "runtime/validate/Validate.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

#include <cmath>
#include <fmt/format.h>
#include <optional>

using namespace ds;
namespace cl = llvm::cl;

namespace {
cl::OptionCategory category("DeepStack options");

cl::SubCommand checkCmd("check", "Check a .ds file and report every error");
cl::SubCommand emitCmd("emit", "Print a stage of the compilation (--emit=ast|ir)");
cl::SubCommand reportCmd("report",
                         "Evaluate a design's hardware and print a report");
cl::opt<std::string> reportInput(cl::Positional, cl::desc("<file.ds>"),
                                 cl::Required, cl::sub(reportCmd));
cl::opt<Component> component(
    "component", cl::desc("Which part of the chip to report"),
    cl::init(Component::All),
    cl::values(clEnumValN(Component::Memory, "memory", "DRAM stacks"),
               clEnumValN(Component::Compute, "compute", "cores and operators"),
               clEnumValN(Component::Thermal, "thermal", "power and temperatures"),
               clEnumValN(Component::Area, "area", "die area and cost"),
               clEnumValN(Component::Network, "network",
                          "collectives on the network (needs a design)"),
               clEnumValN(Component::Chip, "chip",
                          "memory, compute, thermal and area together"),
               clEnumValN(Component::All, "all",
                          "a design's metrics (a bare chip: the chip)")),
    cl::sub(reportCmd), cl::cat(category));
enum class ReportFormat { Text, JSON, CSV };
cl::opt<ReportFormat> reportFormat(
    "emit", cl::desc("Output format"), cl::init(ReportFormat::Text),
    cl::values(clEnumValN(ReportFormat::Text, "report", "text for people"),
               clEnumValN(ReportFormat::JSON, "json", "JSON, SI units"),
               clEnumValN(ReportFormat::CSV, "csv",
                          "one header line and one row (design reports)")),
    cl::sub(reportCmd), cl::cat(category));
cl::list<std::string> printAfter(
    "print-after",
    cl::desc("Print the operators after a pass: model-to-ops, partition, "
             "tiling, network-abstraction, overlap-scheduling"),
    cl::value_desc("pass"), cl::CommaSeparated, cl::sub(reportCmd),
    cl::cat(category));
cl::opt<std::string> designName("design",
                                cl::desc("The design (or chip) to report on"),
                                cl::value_desc("name"), cl::sub(reportCmd),
                                cl::cat(category));
cl::opt<std::string> collectiveOpt(
    "collective",
    cl::desc("Price one collective (all_reduce, all_gather, reduce_scatter, "
             "all_to_all, broadcast, send_recv) instead of the schedule's"),
    cl::value_desc("name"), cl::sub(reportCmd), cl::cat(category));
cl::opt<std::string> bytesOpt("bytes",
                              cl::desc("Its message size, e.g. 64MiB"),
                              cl::value_desc("size"), cl::sub(reportCmd),
                              cl::cat(category));
cl::opt<std::string> groupOpt(
    "group", cl::desc("Its group: tp, ep, sp, cp, dp or pp of the schedule"),
    cl::value_desc("dim"), cl::init("tp"), cl::sub(reportCmd),
    cl::cat(category));
cl::opt<std::string> algorithmOpt("algorithm",
                                  cl::desc("Its algorithm (default: auto)"),
                                  cl::value_desc("name"), cl::init("auto"),
                                  cl::sub(reportCmd), cl::cat(category));
cl::opt<std::string> outputFile("o", cl::desc("Write the output to a file"),
                                cl::value_desc("file"), cl::sub(reportCmd),
                                cl::cat(category));

cl::SubCommand dotCmd("dot",
                      "Draw a design as Graphviz DOT, SVG or PNG (or a "
                      "Chrome trace of its timeline)");
cl::opt<std::string> dotInput(cl::Positional, cl::desc("<file.ds>"),
                              cl::Required, cl::sub(dotCmd));
cl::opt<DiagramView> dotView(
    "view", cl::desc("What to draw"), cl::init(DiagramView::System),
    cl::values(clEnumValN(DiagramView::System, "system",
                          "the network hierarchy and the devices"),
               clEnumValN(DiagramView::Chip, "chip",
                          "the logic die and its DRAM stack"),
               clEnumValN(DiagramView::Ops, "ops",
                          "one layer's operators after partitioning"),
               clEnumValN(DiagramView::Timeline, "timeline",
                          "one decode step on compute, memory and network "
                          "lanes")),
    cl::sub(dotCmd), cl::cat(category));
cl::opt<std::string> dotFormat(
    "format", cl::desc("dot, svg, png or trace (default: from -o's extension, "
                       "else dot)"),
    cl::value_desc("fmt"), cl::sub(dotCmd), cl::cat(category));
cl::opt<bool> dotTraffic("traffic",
                         cl::desc("Colour links by utilisation (system view)"),
                         cl::sub(dotCmd), cl::cat(category));
cl::opt<std::string> dotOutput("o", cl::desc("Write the output to a file"),
                               cl::value_desc("file"), cl::sub(dotCmd),
                               cl::cat(category));
cl::opt<std::string> dotDesign("design",
                               cl::desc("The design (or chip) to draw"),
                               cl::value_desc("name"), cl::sub(dotCmd),
                               cl::cat(category));

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

enum class EmitKind { AST, IR };
cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to print"), cl::init(EmitKind::IR),
    cl::values(clEnumValN(EmitKind::AST, "ast", "the syntax tree"),
               clEnumValN(EmitKind::IR, "ir", "the checked, typed IR")),
    cl::sub(emitCmd), cl::cat(category));

cl::list<std::string> includeDirs("I", cl::desc("Add a directory to the import search path"),
                                  cl::value_desc("dir"), cl::Prefix,
                                  cl::sub(*cl::AllSubCommands), cl::cat(category));
cl::list<std::string> settings(
    "set", cl::desc("Override a field: --set decl.field=value"),
    cl::value_desc("decl.field=value"), cl::sub(*cl::AllSubCommands),
    cl::cat(category));
cl::opt<bool> showDiagKind("show-diag-kind",
                           cl::desc("Append [Kind] to every diagnostic"),
                           cl::sub(*cl::AllSubCommands), cl::Hidden);
cl::opt<unsigned> errorLimit("error-limit",
                             cl::desc("Stop after this many errors (0: no limit)"),
                             cl::init(50), cl::sub(*cl::AllSubCommands),
                             cl::cat(category));

FrontendOptions frontendOptions() {
  FrontendOptions o;
  o.includeDirs.assign(includeDirs.begin(), includeDirs.end());
  o.settings.assign(settings.begin(), settings.end());
  o.showDiagKind = showDiagKind;
  o.errorLimit = errorLimit;
  return o;
}

/// Checks that need the IR: every design's schedule fills its system.
bool verifyDesigns(Compilation &c) {
  bool ok = true;
  for (const DesignIR &d : c.module()->designs)
    ok &= checkParallelLayout(d, c.diags());
  return ok;
}

int runCheck() {
  Compilation c(frontendOptions());
  return c.run(checkInput) && verifyDesigns(c) ? 0 : 1;
}

int runEmit() {
  Compilation c(frontendOptions());
  bool astOnly = emitKind == EmitKind::AST;
  if (!c.run(emitInput, astOnly) || (!astOnly && !verifyDesigns(c)))
    return 1;
  if (astOnly)
    ast::printAST(*c.sema().mainFile(), c.sourceMgr(), llvm::outs());
  else
    printIR(*c.module(), llvm::outs());
  return 0;
}

/// Picks the chip (and its design) to report on: --design, else the only
/// design of the main file, else its only chip.
bool pickChip(Compilation &c, llvm::StringRef designName,
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
    c.diags().report(llvm::SMLoc(), DiagKind::ChooseDesign, input,
                     std::to_string(designs.size()) + " designs");
    return false;
  } else if (chips.size() == 1) {
    chip = chips[0];
  } else {
    if (chips.empty())
      c.diags().report(llvm::SMLoc(), DiagKind::NothingToReport, input);
    else
      c.diags().report(llvm::SMLoc(), DiagKind::ChooseDesign, input,
                       std::to_string(chips.size()) + " chips");
    return false;
  }
  if (design)
    chip = design->system->chip;
  return true;
}

/// Writes \p text to -o atomically (temp file + rename), or to stdout.
bool writeOutput(DiagEngine &diags, const std::string &text,
                 const std::string &outputFile = ::outputFile) {
  if (outputFile.empty() || outputFile == "-") {
    llvm::outs() << text;
    return true;
  }
  if (llvm::Error e = llvm::writeFileAtomically(outputFile + ".tmp%%%%%%",
                                                outputFile, text)) {
    diags.report(llvm::SMLoc(), DiagKind::CannotWriteOutput, outputFile,
                 llvm::toString(std::move(e)));
    return false;
  }
  return true;
}

/// A size such as "64MiB", "1 GB" or "4096" (bytes).
bool parseBytes(llvm::StringRef text, double &out) {
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
  return true;
}

/// --collective=... --bytes=... --group=... [--algorithm=...] on \p d.
bool priceRequested(const DesignIR &d, const net::NetworkModel &model,
                    DiagEngine &diags, NetworkAbstraction &na) {
  CommOp op;
  op.what = "requested";
  op.phase = d.workload->phase == Phase::Prefill ? Phase::Prefill
                                                 : Phase::Decode;
  op.count = 1;
  auto bad = [&](std::string msg) {
    diags.report(llvm::SMLoc(), DiagKind::BadOption, msg);
    return false;
  };
  if (!net::parseCollective(collectiveOpt, op.collective))
    return bad(fmt::format("--collective: unknown collective '{}'; expected "
                           "all_reduce, all_gather, reduce_scatter, "
                           "all_to_all, broadcast or send_recv",
                           collectiveOpt.getValue()));
  if (bytesOpt.empty() || !parseBytes(bytesOpt, op.bytes))
    return bad(fmt::format("--bytes: expected a size such as 64MiB, found "
                           "'{}'",
                           bytesOpt.getValue()));
  if (!parseParallelDim(groupOpt, op.dim))
    return bad(fmt::format("--group: unknown group '{}'; expected tp, ep, "
                           "sp, cp, dp or pp",
                           groupOpt.getValue()));
  const EnumInfo &algs = enumInfo(EnumId::Algorithm);
  auto it = llvm::find_if(algs.spellings, [&](const char *a) {
    return algorithmOpt == a;
  });
  if (it == algs.spellings.end())
    return bad(fmt::format("--algorithm: unknown algorithm '{}'",
                           algorithmOpt.getValue()));
  op.algorithm = Algorithm(it - algs.spellings.begin());
  na.layout = ParallelLayout::of(*d.schedule);
  auto cost = model.price(op.collective, op.algorithm,
                          na.layout.group(op.dim), op.bytes);
  if (!cost)
    return bad(fmt::format("{} group of schedule '{}': {}", groupOpt.getValue(),
                           d.schedule->name, llvm::toString(cost.takeError())));
  na.comms.push_back(PricedComm{op, *cost});
  return true;
}

const char *const kPasses[] = {"model-to-ops", "partition", "tiling",
                               "network-abstraction", "overlap-scheduling"};

/// Prints a phase's operators (and, after tiling, their costs).
void printPhase(llvm::StringRef pass, const PhaseResult &r,
                llvm::raw_ostream &os) {
  os << "*** after " << pass << " ***\n";
  r.graph.print(os);
  if (pass == "model-to-ops" || pass == "partition")
    return;
  for (size_t i = 0; i < r.graph.ops.size(); ++i) {
    const Op &op = r.graph.ops[i];
    if (op.kind == OpKind::Collective) {
      if (pass != "tiling")
        os << fmt::format("  {:<34} {} each, {}\n", op.name,
                          formatQuantity(r.comm[i].time, Dim::time(), 4),
                          spelling(EnumId::Algorithm, r.comm[i].algorithm).str());
      continue;
    }
    const compute::OpCost &c = r.tiles[i].cost;
    os << fmt::format("  {:<34} {} each, {}-bound, DRAM {}\n", op.name,
                      formatQuantity(c.time, Dim::time(), 4),
                      compute::boundName(c.bound).str(),
                      formatQuantity(c.dramBytes, Dim::bytes(), 4));
  }
  if (pass == "overlap-scheduling")
    os << fmt::format("  stage step {}\n",
                      formatQuantity(r.step.time, Dim::time(), 4));
}

int runDesignReport(Compilation &c, const DesignIR &design) {
  for (const std::string &p : printAfter)
    if (!llvm::is_contained(kPasses, llvm::StringRef(p))) {
      c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                       fmt::format("--print-after: unknown pass '{}'; passes: "
                                   "model-to-ops, partition, tiling, "
                                   "network-abstraction, overlap-scheduling",
                                   p));
      return 1;
    }
  net::NetworkModel network(net::FabricSpec::fromIR(*design.system->network));
  DesignMetrics m;
  PassObserver observe = nullptr;
  if (!printAfter.empty())
    observe = [&](llvm::StringRef pass, const PhaseResult &r) {
      if (llvm::is_contained(printAfter, pass.str()))
        printPhase(pass, r, llvm::errs());
    };
  if (!evaluateDesign(design, network, c.diags(), m, observe))
    return 1;
  std::string text;
  llvm::raw_string_ostream os(text);
  switch (reportFormat) {
  case ReportFormat::Text:
    printDesignReport(m, os);
    break;
  case ReportFormat::JSON: {
    llvm::json::OStream j(os, 2);
    j.object([&] { writeDesignJSON(m, j); });
    os << "\n";
    break;
  }
  case ReportFormat::CSV:
    printDesignCSVHeader(os);
    printDesignCSVRow(m, os);
    break;
  }
  os.flush();
  return writeOutput(c.diags(), text) ? 0 : 1;
}

int runReport() {
  Compilation c(frontendOptions());
  if (!c.run(reportInput) || !verifyDesigns(c))
    return 1;
  const ChipIR *chip = nullptr;
  const DesignIR *design = nullptr;
  if (!pickChip(c, designName, reportInput, chip, design))
    return 1;
  bool onlyNetwork = component == Component::Network;
  if ((onlyNetwork || !collectiveOpt.empty()) && !design) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     fmt::format("the network report needs a design; '{}' is "
                                 "a chip",
                                 chip->name));
    return 1;
  }
  if (!collectiveOpt.empty() && !onlyNetwork) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--collective needs --component=network");
    return 1;
  }
  bool chipOnly = !design || (component != Component::All &&
                              component != Component::Network);
  if (reportFormat == ReportFormat::CSV && (chipOnly || onlyNetwork)) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--emit=csv is for a design's report (no --component)");
    return 1;
  }
  if (design && component == Component::All)
    return runDesignReport(c, *design);
  std::optional<net::NetworkModel> model;
  NetworkAbstraction na;
  if (design && onlyNetwork) {
    model.emplace(net::FabricSpec::fromIR(*design->system->network));
    bool ok = collectiveOpt.empty()
                  ? runNetworkAbstraction(*design, *model, c.diags(), na)
                  : priceRequested(*design, *model, c.diags(), na);
    if (!ok)
      return 1;
  }
  ChipReport report = evaluateChip(*chip, design);
  Component shown = component == Component::Chip ? Component::All : component;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (reportFormat == ReportFormat::JSON) {
    printChipReportJSON(report, shown, os, [&](llvm::json::OStream &j) {
      if (onlyNetwork)
        writeNetworkJSON(design, *model, na, j);
    });
  } else {
    if (!onlyNetwork)
      printChipReport(report, shown, os);
    else
      printNetworkReport(*design, *model, na, os);
  }
  os.flush();
  return writeOutput(c.diags(), text) ? 0 : 1;
}

int runDot() {
  Compilation c(frontendOptions());
  if (!c.run(dotInput) || !verifyDesigns(c))
    return 1;
  const ChipIR *chip = nullptr;
  const DesignIR *design = nullptr;
  if (!pickChip(c, dotDesign, dotInput, chip, design))
    return 1;
  auto bad = [&](std::string msg) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption, msg);
    return 1;
  };
  // The format: --format, else the output's extension, else DOT.
  std::string f = dotFormat;
  if (f.empty()) {
    llvm::StringRef ext = llvm::sys::path::extension(dotOutput.getValue());
    f = ext.empty() ? "dot" : ext.drop_front().lower();
    if (f == "json")
      f = "trace";
  }
  DiagramFormat format;
  if (f == "dot" || f == "gv")
    format = DiagramFormat::Dot;
  else if (f == "svg")
    format = DiagramFormat::Svg;
  else if (f == "png")
    format = DiagramFormat::Png;
  else if (f == "trace")
    format = DiagramFormat::Trace;
  else
    return bad(fmt::format("unknown output format '{}'; expected dot, svg, "
                           "png or trace",
                           f));
  if (format == DiagramFormat::Trace && dotView != DiagramView::Timeline)
    return bad("--format=trace is for --view=timeline");
  if (dotView != DiagramView::Chip && !design)
    return bad(fmt::format("the {} view needs a design; '{}' is a chip",
                           dotView == DiagramView::System ? "system"
                           : dotView == DiagramView::Ops  ? "ops"
                                                          : "timeline",
                           chip->name));
  DiagramInput in;
  in.design = design;
  in.chip = chip;
  in.traffic = dotTraffic;
  std::optional<net::NetworkModel> network;
  DesignMetrics metrics;
  bool evaluate = design && (dotView == DiagramView::Ops ||
                             dotView == DiagramView::Timeline || dotTraffic ||
                             dotView == DiagramView::Chip);
  if (design) {
    network.emplace(net::FabricSpec::fromIR(*design->system->network));
    in.network = &*network;
  }
  if (evaluate) {
    if (!evaluateDesign(*design, *network, c.diags(), metrics))
      return 1;
    in.metrics = &metrics;
  }
  std::string out, error;
  bool ok;
  if (format == DiagramFormat::Trace) {
    ok = timelineTrace(in, out, error);
  } else {
    Diagram d(design ? design->name : chip->name, true);
    switch (dotView) {
    case DiagramView::System:
      ok = buildSystemView(in, d, error);
      break;
    case DiagramView::Chip:
      ok = buildChipView(in, d, error);
      break;
    case DiagramView::Ops:
      ok = buildOpsView(in, d, error);
      break;
    case DiagramView::Timeline:
      ok = buildTimelineView(in, d, error);
      break;
    }
    ok = ok && renderDiagram(d, format, out, error);
  }
  if (!ok)
    return bad(error);
  return writeOutput(c.diags(), out, dotOutput) ? 0 : 1;
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
