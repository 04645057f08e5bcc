//===- DesignReport.h - A design's report: text, JSON, CSV ------*- C++ -*-===//
//
// `deepstack report FILE` on a design: one screen of text (the design, the
// metrics with units, the breakdown per operator class, the binding limits
// and warnings), JSON in SI units (docs/report-schema.json, versioned) and
// CSV (one header line and one row, stable columns).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_DESIGNREPORT_H
#define DEEPSTACK_PASSES_DESIGNREPORT_H

#include "passes/Evaluate.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace ds {

/// Bumped whenever a JSON key or CSV column changes meaning or disappears.
constexpr int kReportSchemaVersion = 1;

void printDesignReport(const DesignMetrics &m, llvm::raw_ostream &os);
void writeDesignJSON(const DesignMetrics &m, llvm::json::OStream &j);
/// The CSV header line (without the row).
void printDesignCSVHeader(llvm::raw_ostream &os);
void printDesignCSVRow(const DesignMetrics &m, llvm::raw_ostream &os);

} // namespace ds

#endif
