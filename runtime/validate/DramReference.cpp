//===- DramReference.cpp - DRAM reference points --------------------------===//
//
// Reads a row's columns with a check each (a bad value is reported at its
// line:col), builds the device in SI units (timings are clocks of tck_ns in
// the file) and the pattern, and predicts achieved_GBps.
//
//===----------------------------------------------------------------------===//
#include "runtime/validate/DramReference.h"

#include "runtime/dram/DeviceModel.h"
#include "runtime/validate/RowReader.h"

#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
/// The columns a DRAM reference file must have. memory, simulator, bus_bytes,
/// tRC, tWTR_L, peak_GBps and the other targets may be present; the model
/// does not need them. row_hit_rate is optional (estimated when absent or
/// empty).
const char *const kColumns[] = {
    // Device.
    "channels", "tck_ns", "burst_bytes", "burst_cycles", "ranks", "bank_groups",
    "banks_per_group", "row_bytes",
    // Timings, in clocks.
    "CL", "CWL", "tRCD", "tRP", "tRAS", "tRRD_S", "tRRD_L", "tFAW", "tCCD_S",
    "tCCD_L", "tWTR_S", "tWR", "tRTP", "refresh", "tRFC", "tREFI",
    // Controller and address map.
    "read_queue", "write_queue", "seq_run_bursts",
    // Pattern and target.
    "pattern", "pattern_param", "request_bytes", "write_frac",
    "outstanding_per_channel", "achieved_GBps"};

const char *const kRefreshSpellings[] = {"all_bank", "per_bank", "none"};

bool evaluateRow(const CsvTable &t, const CsvRow &row, DiagEngine &diags,
                 ReferenceRow &out) {
  RowReader r(t, row, diags);
  dram::Device d;
  d.channels = unsigned(r.number("channels", RowCheck::Whole));
  double tck = r.number("tck_ns", RowCheck::Positive) * 1e-9;
  auto clocks = [&](const char *column) {
    return r.number(column, RowCheck::NonNegative) * tck;
  };
  d.tck = tck;
  d.burstBytes = r.number("burst_bytes", RowCheck::Positive);
  d.burstTime = r.number("burst_cycles", RowCheck::Positive) * tck;
  d.ranks = unsigned(r.number("ranks", RowCheck::Whole));
  d.bankGroups = unsigned(r.number("bank_groups", RowCheck::Whole));
  d.banksPerGroup = unsigned(r.number("banks_per_group", RowCheck::Whole));
  d.rowBytes = r.number("row_bytes", RowCheck::Positive);
  d.tCL = clocks("CL");
  d.tCWL = clocks("CWL");
  d.tRCD = clocks("tRCD");
  d.tRP = clocks("tRP");
  d.tRAS = clocks("tRAS");
  d.tRRD_S = clocks("tRRD_S");
  d.tRRD_L = clocks("tRRD_L");
  d.tFAW = clocks("tFAW");
  d.tCCD_S = clocks("tCCD_S");
  d.tCCD_L = clocks("tCCD_L");
  d.tWTR_S = clocks("tWTR_S");
  d.tWTR_L = r.optional("tWTR_L", RowCheck::NonNegative, 0) * tck;
  d.tWR = clocks("tWR");
  d.tRTP = clocks("tRTP");
  d.refresh = RefreshMode(r.choice("refresh", kRefreshSpellings));
  d.tRFC = clocks("tRFC");
  d.tREFI = d.refresh == RefreshMode::None
                ? clocks("tREFI")
                : r.number("tREFI", RowCheck::Positive) * tck;
  d.readQueue = unsigned(r.number("read_queue", RowCheck::Whole));
  d.writeQueue = unsigned(r.number("write_queue", RowCheck::Whole));
  d.bankQueue = kDramReferenceBankQueue;
  d.seqRunBytes = r.number("seq_run_bursts", RowCheck::Positive) * d.burstBytes;
  d.controllerLatency = kDramReferenceControllerClocks * tck;

  dram::Pattern p;
  llvm::StringRef patternName = r.field("pattern");
  p.kind = dram::PatternKind(r.choice("pattern", dram::patternKindSpellings()));
  RowCheck paramCheck = p.kind == dram::PatternKind::RowLocal ? RowCheck::Fraction
                     : p.kind == dram::PatternKind::Banks  ? RowCheck::Whole
                                                           : RowCheck::NonNegative;
  p.param = r.number("pattern_param", paramCheck);
  p.requestBytes = r.number("request_bytes", RowCheck::Positive);
  p.writeFraction = r.number("write_frac", RowCheck::Fraction);
  p.outstanding = r.number("outstanding_per_channel", RowCheck::Whole);
  p.rowHitRate = r.optional("row_hit_rate", RowCheck::Fraction, -1);
  double measured = r.number("achieved_GBps", RowCheck::Positive);
  if (!r.ok())
    return false;

  dram::Result res = dram::evaluate(d, p);
  out.line = row.line;
  out.key = fmt::format("{:<7} {:>9} {:>7} {:>5.2f} {:>5}", patternName.str(),
                        r.field("pattern_param").str(), p.requestBytes,
                        p.writeFraction, p.outstanding);
  out.measured = measured;
  out.predicted = res.bandwidth / 1e9;
  out.note = dram::limitName(res.bound).str();
  return true;
}

} // namespace

const ReferenceSchema &ds::dramReferenceSchema() {
  static const ReferenceSchema schema{
      "dram",          kColumns, "pattern     param     req    wf     N",
      "achieved_GBps", "limit",  evaluateRow};
  return schema;
}
