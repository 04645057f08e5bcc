//===- ReportCommand.cpp - deepstack report -------------------------------===//
//
// A design's metrics (text, JSON, CSV), a chip's components, or the
// collectives on the network; --print-after shows a pass's operators.
//
//===----------------------------------------------------------------------===//
#include "tools/Commands.h"
#include "tools/ReportMemory.h"

#include "frontend/Units.h"
#include "passes/DesignReport.h"
#include "passes/Diagram.h"
#include "passes/MetricsCheck.h"
#include "passes/NetworkAbstractionEmit.h"
#include "runtime/report/ChipReport.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <fmt/format.h>
#include <optional>

using namespace ds;
using namespace ds::tool;
namespace cl = llvm::cl;

cl::SubCommand ds::tool::reportCmd("report",
                         "Evaluate a design's hardware and print a report");
namespace {
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
    cl::sub(reportCmd), cl::cat(category()));
cl::opt<ReportFormat> reportFormat(
    "emit", cl::desc("Output format"), cl::init(ReportFormat::Text),
    cl::values(clEnumValN(ReportFormat::Text, "report", "text for people"),
               clEnumValN(ReportFormat::JSON, "json", "JSON, SI units"),
               clEnumValN(ReportFormat::CSV, "csv",
                          "one header line and one row (design reports)")),
    cl::sub(reportCmd), cl::cat(category()));
cl::list<std::string> printAfter(
    "print-after",
    cl::desc("Print the operators after a pass: model-to-ops, partition, "
             "tiling, network-abstraction, overlap-scheduling"),
    cl::value_desc("pass"), cl::CommaSeparated, cl::sub(reportCmd),
    cl::cat(category()));
cl::opt<std::string> designName("design",
                                cl::desc("The design (or chip) to report on"),
                                cl::value_desc("name"), cl::sub(reportCmd),
                                cl::cat(category()));
cl::opt<std::string> collectiveOpt(
    "collective",
    cl::desc("Price one collective (all_reduce, all_gather, reduce_scatter, "
             "all_to_all, broadcast, send_recv) instead of the schedule's"),
    cl::value_desc("name"), cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> bytesOpt("bytes",
                              cl::desc("Its message size, e.g. 64MiB"),
                              cl::value_desc("size"), cl::sub(reportCmd),
                              cl::cat(category()));
cl::opt<std::string> groupOpt(
    "group", cl::desc("Its group: tp, ep, sp, cp, dp or pp of the schedule"),
    cl::value_desc("dim"), cl::init("tp"), cl::sub(reportCmd),
    cl::cat(category()));
cl::opt<std::string> algorithmOpt("algorithm",
                                  cl::desc("Its algorithm (default: auto)"),
                                  cl::value_desc("name"), cl::init("auto"),
                                  cl::sub(reportCmd), cl::cat(category()));
cl::opt<std::string> outputFile("o", cl::desc("Write the output to a file"),
                                cl::value_desc("file"), cl::sub(reportCmd),
                                cl::cat(category()));


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
  if (!checkCollectiveCost(d, op.what, *cost, diags))
    return false;
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

int runDesignReport(Compilation &c, const DesignIR &design,
                    ReportFormat format, const std::string &output) {
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
  switch (format) {
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
  return writeOutput(c.diags(), text, output) ? 0 : 1;
}

} // namespace

int ds::tool::runReport() {
  Compilation c(frontendOptions());
  if (!c.run(reportInput) || !verifyDesigns(c))
    return 1;
  return reportOn(c, reportInput, designName, component, reportFormat,
                  outputFile);
}

int ds::tool::reportOn(Compilation &c, llvm::StringRef input,
                       llvm::StringRef name, Component what,
                       ReportFormat format, const std::string &output) {
  // Options that only one kind of report reads are errors elsewhere, not
  // silently ignored.
  if (!collectiveOpt.empty() && what != Component::Network) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--collective needs --component=network");
    return 1;
  }
  auto printAfterMisplaced = [&] {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     "--print-after is for a design's report (no --component)");
    return 1;
  };
  bool failed = false;
  if (const MemoryIR *m = pickBareMemory(c, name, failed))
    return printAfter.empty() ? runMemoryReport(c, *m, what, format, output)
                              : printAfterMisplaced();
  const ChipIR *chip = nullptr;
  const DesignIR *design = nullptr;
  if (failed || !pickChip(c, name, input, chip, design))
    return 1;
  bool showsMemory = what == Component::Memory ||
                     what == Component::Chip ||
                     (what == Component::All && !design);
  std::vector<PatternReport> patterns;
  if (!requestedPatterns(c.diags(), *chip->memory, showsMemory, patterns))
    return 1;
  bool onlyNetwork = what == Component::Network;
  if ((onlyNetwork || !collectiveOpt.empty()) && !design) {
    c.diags().report(llvm::SMLoc(), DiagKind::BadOption,
                     fmt::format("the network report needs a design; '{}' is "
                                 "a chip",
                                 chip->name));
    return 1;
  }
  bool chipOnly = !design || (what != Component::All &&
                              what != Component::Network);
  if (format == ReportFormat::CSV && (chipOnly || onlyNetwork)) {
    c.diags().report(
        llvm::SMLoc(), DiagKind::BadOption,
        design ? "--emit=csv is for a design's report (no --component)"
               : fmt::format("--emit=csv is for a design's metrics; '{}' is a "
                             "chip",
                             chip->name));
    return 1;
  }
  if (design && what == Component::All)
    return runDesignReport(c, *design, format, output);
  if (!printAfter.empty())
    return printAfterMisplaced();
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
  ChipReport report = evaluateChip(*chip, design, std::move(patterns));
  Component shown = what == Component::Chip ? Component::All : what;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (format == ReportFormat::JSON) {
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
  return writeOutput(c.diags(), text, output) ? 0 : 1;
}

