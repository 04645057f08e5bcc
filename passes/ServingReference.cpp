//===- ServingReference.cpp - Serving and kernel reference points ---------===//
//
// Serving rows: a decode design with the row's model, chips, tp/pp/ep and
// batch (dp = chips / (tp * pp)); the prediction is system decode tokens/s.
// A mixture-of-experts row with ep = 1 and tp > 1 spreads its experts over
// the tp ranks (ep = tp), as the reference README says vLLM does.
//
// A batch whose KV cache does not fit at full length: vLLM pages the cache
// (PagedAttention), so a request holds blocks for the tokens it has, not
// for prompt + generate. Requests that start together grow together; all
// of them run while batch * (prompt + i) tokens fit, and past that only as
// many as fit (the others are preempted and wait). The cache holds C =
// b * (prompt + generate) tokens, b the largest batch that fits at full
// length, so step i runs min(batch, C / (prompt + i)) requests, and the row
// runs at their mean over the generate steps.
//
// vLLM's scheduler runs at most max_num_seqs requests at once (per engine,
// i.e. per data-parallel replica); the rest wait in its queue before their
// prefill. Its default (vllm/engine/arg_utils.py, the V1 engine defaults
// since v0.8, the versions that run Blackwell) is 1024 on GPUs with at
// least 70 GiB of memory except the A100 ("For GPUs like H100 and
// MI300x"), 256 otherwise. A queued request's wait is part of its time to
// first token, not of its decode, so each request decodes at the rate of
// a wave of min(batch, max_num_seqs) requests and the row's system decode
// rate (batch x per-request rate) is batch / running x the wave's tokens/s:
// the measured 2048-request llama3_70b row on 8 B200 is 1.99x the
// 1024-request row, with the same per-request rate (19.6 vs 21.4 tok/s).
//
//===----------------------------------------------------------------------===//
#include "passes/ServingReference.h"

#include "frontend/Units.h"
#include "passes/Evaluate.h"
#include "passes/KernelsReference.h"
#include "passes/LibraryDesigns.h"
#include "passes/Tiling.h"
#include "runtime/validate/RowReader.h"
#include "runtime/validate/Validate.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
const char *const kServingColumns[] = {
    "model", "chip", "num_chips", "tp", "pp", "ep", "batch_size",
    "input_len_tokens", "output_len_tokens",
    "measured_system_decode_tok_per_s"};

const LibraryDesigns *library(DiagEngine &diags, llvm::SMLoc at) {
  std::string error;
  const LibraryDesigns *lib = LibraryDesigns::shared(error);
  if (!lib)
    diags.report(at, DiagKind::BadCsvValue, "model",
                 "a library that compiles: " + error, "");
  return lib;
}

struct Serving {
  std::string model, chip;
  int64_t chips, tp, pp, ep, batch, prompt, generate;
};

std::string servingDecls(const LibraryDesigns &lib, const Serving &s,
                         int64_t batch) {
  const ChipIR &chip = *lib.chip(s.chip);
  return scaleUpNetwork(chip, s.chips, "row_net") +
         fmt::format(
             "system row_sys {{ chip = {}; network = row_net; }}\n"
             "workload row_w {{ model = {}; phase = decode; batch = {}; "
             "prompt = {}; generate = {}; }}\n"
             "schedule row_s {{ tp = {}; pp = {}; ep = {}; dp = {}; }}\n"
             "design row {{ system = row_sys; workload = row_w; schedule = "
             "row_s; }}\n",
             s.chip, s.model, batch, s.prompt, s.generate, s.tp, s.pp, s.ep,
             s.chips / (s.tp * s.pp));
}

/// Evaluates the row's design at \p batch; "" or why it cannot run. With
/// \p paged, a full-length KV cache need not fit (see above).
std::string evaluateServing(const LibraryDesigns &lib, const Serving &s,
                            int64_t batch, DesignMetrics &m,
                            bool paged = false) {
  std::string error;
  auto c = lib.compile(servingDecls(lib, s, batch), error);
  if (!c)
    return error;
  const DesignIR *d = c->module()->findDesign("row");
  net::NetworkModel network(net::FabricSpec::fromIR(*d->system->network));
  std::string errs;
  llvm::raw_string_ostream es(errs);
  llvm::SourceMgr sm;
  DiagEngine diags(sm, es);
  bool ok = evaluateDesign(*d, network, diags, m, nullptr, /*explain=*/true,
                           /*checkCapacity=*/!paged);
  // The operator cache keys on the chip's address, which dies with the
  // compilation.
  clearOperatorCache();
  if (!ok) {
    es.flush();
    return errs;
  }
  m.design = nullptr; // the compilation goes away
  return "";
}

} // namespace

int64_t ds::vllmMaxNumSeqs(llvm::StringRef chip, double deviceMemory) {
  // vLLM compares torch's total_memory (GiB = 2^30 B) with 70 GiB and
  // excludes the A100 by its device name (larger defaults lowered its
  // throughput, vLLM PR #17885).
  const double kGiB = 1024.0 * 1024.0 * 1024.0;
  bool large = deviceMemory >= 70 * kGiB && chip.lower().find("a100") == std::string::npos;
  return large ? 1024 : 256;
}

int64_t ds::pagedConcurrency(int64_t fullLength, int64_t batch,
                             int64_t prompt, int64_t generate) {
  double capacity = double(fullLength) * double(prompt + generate);
  double sum = 0;
  for (int64_t i = 1; i <= generate; ++i)
    sum += std::min(double(batch), std::floor(capacity / double(prompt + i)));
  return std::max<int64_t>(fullLength,
                           int64_t(std::llround(sum / double(generate))));
}

namespace {
bool servingRow(const CsvTable &t, const CsvRow &row, DiagEngine &diags,
                ReferenceRow &out) {
  RowReader r(t, row, diags);
  const LibraryDesigns *lib = library(diags, row.loc());
  if (!lib)
    return false;
  Serving s;
  s.model = r.field("model").str();
  s.chip = r.field("chip").str();
  if (!lib->model(s.model))
    r.bad("model", r.field("model"), "a model of lib/models (" +
                                         lib->modelNames() + ")");
  if (!lib->chip(s.chip))
    r.bad("chip", r.field("chip"),
          "a chip of lib/chips (" + lib->chipNames() + ")");
  s.chips = int64_t(r.number("num_chips", RowCheck::Whole));
  s.tp = int64_t(r.number("tp", RowCheck::Whole));
  s.pp = int64_t(r.number("pp", RowCheck::Whole));
  s.ep = int64_t(r.number("ep", RowCheck::Whole));
  s.batch = int64_t(r.number("batch_size", RowCheck::Whole));
  s.prompt = int64_t(r.number("input_len_tokens", RowCheck::Whole));
  s.generate = int64_t(r.number("output_len_tokens", RowCheck::Whole));
  double measured = r.number("measured_system_decode_tok_per_s", RowCheck::Positive);
  if (!r.ok())
    return false;
  if (s.chips % (s.tp * s.pp)) {
    r.bad("num_chips", r.field("num_chips"),
          fmt::format("a multiple of tp * pp = {}", s.tp * s.pp));
    return false;
  }
  const ModelIR &model = *lib->model(s.model);
  if (model.experts > 0 && s.ep == 1 && s.tp > 1)
    s.ep = s.tp;
  // The scheduler's limit: at most max_num_seqs requests per replica run;
  // the others queue before their prefill (see above).
  const ChipIR &chip = *lib->chip(s.chip);
  double memory = chipContext(chip, loadedDramTemperature(chip)).dramCapacity;
  int64_t replicas = s.chips / (s.tp * s.pp);
  int64_t running =
      std::min(s.batch, vllmMaxNumSeqs(s.chip, memory) * replicas);
  Serving wave = s;
  wave.batch = running;
  DesignMetrics m;
  std::string why = evaluateServing(*lib, wave, running, m);
  int64_t ran = running;
  // The KV cache caps the running batch: find the largest that fits.
  if (why.empty() && !m.feasible) {
    int64_t lo = 0, hi = running;
    while (hi - lo > 1) {
      int64_t mid = (lo + hi) / 2;
      DesignMetrics probe;
      std::string e = evaluateServing(*lib, wave, mid, probe);
      (e.empty() && probe.feasible ? lo : hi) = mid;
    }
    if (lo == 0) {
      why = m.infeasible;
    } else {
      ran = pagedConcurrency(lo, running, s.prompt, s.generate);
      why = evaluateServing(*lib, wave, ran, m, /*paged=*/true);
    }
  }
  if (!why.empty()) {
    r.bad("model", r.field("model"), "a row the model can evaluate: " + why);
    return false;
  }
  out.line = row.line;
  out.key = fmt::format("{:<16} {:<6} {:>4} {:>3} {:>3} {:>3} {:>6} {:>6} {:>6}",
                        s.model, s.chip, s.chips, s.tp, s.pp, s.ep, s.batch,
                        s.prompt, s.generate);
  out.measured = measured;
  // Every request decodes at the wave's per-request rate.
  out.predicted = m.stps * double(s.batch) / double(running);
  out.note = m.limits.empty() ? "" : m.limits.front().substr(0, 24);
  if (ran != running)
    out.note = fmt::format("paged KV cache runs {} on average", ran);
  if (running != s.batch)
    out.note = fmt::format("max_num_seqs: waves of {}{}", running,
                           ran != running
                               ? fmt::format(", paged {} on average", ran)
                               : "");
  return true;
}

} // namespace

const ReferenceSchema &ds::servingReferenceSchema() {
  static const ReferenceSchema schema{
      "serving", kServingColumns,
      "model            chip   chips  tp  pp  ep  batch prompt    gen",
      "measured_system_decode_tok_per_s", "note", servingRow};
  return schema;
}

void ds::registerPassSchemas() {
  registerReferenceSchema(servingReferenceSchema);
  registerReferenceSchema(kernelsReferenceSchema);
}
