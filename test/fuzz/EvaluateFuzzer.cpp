//===- EvaluateFuzzer.cpp - libFuzzer over front end + evaluation ---------===//
//
// Parses and checks the input like `deepstack report`, then evaluates every
// design it declares (passes 1-6, and the network report's collectives) and
// every chip (memory, compute, thermal, area), and renders each report as
// text, CSV and JSON. Beyond "no crash",
// the JSON of a report must hold only finite, non-negative numbers: a NaN
// throughput is a lie the tool must not tell.
//
//===----------------------------------------------------------------------===//
#include "FuzzCommon.h"

#include "frontend/Driver.h"
#include "passes/DesignReport.h"
#include "passes/Evaluate.h"
#include "passes/NetworkAbstraction.h"
#include "passes/NetworkAbstractionEmit.h"
#include "runtime/report/ChipReport.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>

using namespace ds;

namespace {
void reportDesign(const DesignIR &d, DiagEngine &diags) {
  net::NetworkModel network(net::FabricSpec::fromIR(*d.system->network));
  DesignMetrics m;
  if (!evaluateDesign(d, network, diags, m))
    return;
  std::string text, json;
  llvm::raw_string_ostream os(text), js(json);
  printDesignReport(m, os);
  printDesignCSVHeader(os);
  printDesignCSVRow(m, os);
  {
    llvm::json::OStream j(js);
    j.object([&] { writeDesignJSON(m, j); });
  }
  js.flush();
  fuzz::requireSaneJSON(json, "design '" + d.name + "'");
}

/// `report --component=network`: every collective of the schedule priced.
void reportNetwork(const DesignIR &d, DiagEngine &diags) {
  net::NetworkModel network(net::FabricSpec::fromIR(*d.system->network));
  NetworkAbstraction na;
  if (!runNetworkAbstraction(d, network, diags, na))
    return;
  std::string text, json;
  llvm::raw_string_ostream os(text), js(json);
  printNetworkReport(d, network, na, os);
  {
    llvm::json::OStream j(js);
    j.object([&] { writeNetworkJSON(&d, network, na, j); });
  }
  js.flush();
  fuzz::requireSaneJSON(json, "network of design '" + d.name + "'");
}

void reportChip(const ChipIR &chip, const DesignIR *design) {
  ChipReport r = evaluateChip(chip, design);
  std::string text, json;
  llvm::raw_string_ostream os(text), js(json);
  printChipReport(r, Component::All, os);
  printChipReportJSON(r, Component::All, js);
  js.flush();
  fuzz::requireSaneJSON(json, "chip '" + chip.name + "'");
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  fuzz::onDriverStack([text] {
    std::string errors;
    llvm::raw_string_ostream es(errors);
    Compilation c(FrontendOptions(), es);
    bool ok = c.runBuffer(text, "fuzz.ds");
    if (ok) {
      // The imported library's designs are evaluated by its own tests; the
      // input's declarations are what the fuzzer varies.
      const Module &m = *c.module();
      for (const DesignIR &d : m.designs)
        if (llvm::is_contained(m.mainFileDecls, &d) &&
            checkParallelLayout(d, c.diags())) {
          reportDesign(d, c.diags());
          reportNetwork(d, c.diags());
          reportChip(*d.system->chip, &d);
        }
      for (const ChipIR &ch : m.chips)
        if (llvm::is_contained(m.mainFileDecls, &ch))
          reportChip(ch, nullptr);
      ok = !c.diags().hadError();
    }
    es.flush();
    fuzz::requireErrorMessage(ok, errors, "evaluate");
  });
  return 0;
}
