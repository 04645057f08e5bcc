//===- PassesPropertyTest.cpp - Design metrics on library designs ---------===//
//
// Properties any design evaluation must keep, checked on designs built
// from the shipped library (lib/chips, lib/models) with a fixed seed:
// faster DRAM never slows decode, tensor parallelism halves the weights a
// device holds (while the KV heads last), decode throughput grows with the
// batch until it saturates, energy per token is positive and finite, and
// every number of the JSON report is finite.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "passes/DesignReport.h"
#include "passes/Evaluate.h"
#include "passes/Tiling.h"
#include "runtime/dram/StackModel.h"
#include "runtime/network/Fabric.h"
#include "runtime/network/NetworkModel.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <random>

using namespace ds;

namespace {
/// Relative slack for floating-point noise only.
constexpr double kEps = 1e-9;

struct Spec {
  std::string chip = "h100", model = "llama3_8b";
  int64_t tp = 1, pp = 1, dp = 1, ep = 1;
  int64_t batch = 8, prompt = 512, generate = 512;
  std::string overlap = "layer", phase = "decode";
  int64_t devices() const { return tp * pp * dp; }
  std::string str() const {
    return fmt::format("{} {} tp{} pp{} dp{} ep{} batch {} prompt {} "
                       "generate {} overlap {} phase {}",
                       chip, model, tp, pp, dp, ep, batch, prompt, generate,
                       overlap, phase);
  }
  std::string text() const {
    return fmt::format(
        "import \"chips/{0}.ds\";\nimport \"models/{1}.ds\";\n"
        "network n {{ level b = switch({2}) {{ link = 450 GB/s; latency = "
        "0.5 us; energy = 5 pJ/bit; }} }}\n"
        "system y {{ chip = {0}; network = n; }}\n"
        "workload w {{ model = {3}; phase = {4}; batch = {5}; prompt = {6}; "
        "generate = {7}; }}\n"
        "schedule s {{ tp = {8}; pp = {9}; dp = {10}; ep = {11}; overlap = "
        "{12}; }}\n"
        "design d {{ system = y; workload = w; schedule = s; }}\n",
        chip, model.rfind("qwen3", 0) == 0 ? "qwen3" : "llama3", devices(),
        model, phase, batch, prompt, generate, tp, pp, dp, ep, overlap);
  }
};

struct Evaluated {
  std::string errorsText;
  llvm::raw_string_ostream errs{errorsText};
  std::unique_ptr<Compilation> comp;
  DesignMetrics m;
  bool ok = false;
  explicit Evaluated(const Spec &s, std::vector<std::string> settings = {}) {
    // The operator cache keys on the ChipIR's address, which a new
    // compilation may reuse after an earlier one is freed.
    clearOperatorCache();
    FrontendOptions o;
    o.settings = std::move(settings);
    comp = std::make_unique<Compilation>(o, errs);
    if (!comp->runBuffer(s.text(), "property.ds"))
      return;
    const DesignIR *d = comp->module()->findDesign("d");
    if (!d)
      return;
    net::NetworkModel network(net::FabricSpec::fromIR(*d->system->network));
    ok = evaluateDesign(*d, network, comp->diags(), m);
  }
};

struct Random {
  std::mt19937_64 gen;
  explicit Random(unsigned seed) : gen(0x5EEDu * 7919u + seed) {}
  template <typename T> T pick(std::initializer_list<T> l) {
    std::uniform_int_distribution<size_t> d(0, l.size() - 1);
    return l.begin()[d(gen)];
  }
  /// A design on up to 16 devices of a library chip and model.
  Spec spec() {
    Spec s;
    s.chip = pick<std::string>({"h100", "h200", "b200", "a100"});
    s.model = pick<std::string>({"llama3_8b", "llama3_8b", "llama3_70b",
                                 "qwen3_235b_a22b"});
    s.tp = pick<int64_t>({1, 2, 4, 8});
    s.pp = pick<int64_t>({1, 1, 2, 4});
    s.dp = pick<int64_t>({1, 1, 2});
    if (s.model.rfind("qwen3", 0) == 0) {
      // Experts over the TP ranks (as vLLM does) or over TP x DP.
      s.ep = pick<int64_t>({s.tp, s.tp * s.dp});
      s.tp = std::max<int64_t>(s.tp, 4); // 235B needs a few devices
      if (s.ep < s.tp)
        s.ep = s.tp;
    }
    s.batch = pick<int64_t>({1, 3, 8, 16, 64, 256});
    s.prompt = pick<int64_t>({128, 1024, 4096});
    s.generate = pick<int64_t>({16, 256, 1024});
    s.overlap = pick<std::string>({"none", "layer", "tile"});
    s.phase = pick<std::string>({"decode", "decode", "both", "prefill"});
    return s;
  }
};

/// Walks a JSON value; records the path of the first number that is not
/// finite.
void checkFinite(const llvm::json::Value &v, const std::string &path,
                 std::vector<std::string> &bad) {
  if (auto n = v.getAsNumber()) {
    if (!std::isfinite(*n))
      bad.push_back(path);
    return;
  }
  if (const llvm::json::Object *o = v.getAsObject()) {
    for (const auto &kv : *o)
      checkFinite(kv.second, path + "." + kv.first.str(), bad);
    return;
  }
  if (const llvm::json::Array *a = v.getAsArray())
    for (size_t i = 0; i < a->size(); ++i)
      checkFinite((*a)[i], path + "[" + std::to_string(i) + "]", bad);
  if (v.kind() == llvm::json::Value::Null)
    bad.push_back(path + " (null)");
}

std::string json(const DesignMetrics &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    llvm::json::OStream j(os);
    j.object([&] { writeDesignJSON(m, j); });
  }
  os.flush();
  return text;
}
} // namespace

TEST(DesignProperty, FasterDramNeverSlowsDecode) {
  Random r(1);
  unsigned compared = 0;
  for (int i = 0; i < 12; ++i) {
    Spec s = r.spec();
    s.phase = "decode";
    SCOPED_TRACE(s.str());
    Evaluated base(s);
    ASSERT_TRUE(base.ok) << base.errorsText;
    if (!base.m.feasible)
      continue;
    // Double the channels of every die of the chip's memory: twice the
    // pins and banks at the same timings (TSV vertical links follow the
    // channel bandwidth by default). Doubling data_rate alone would not do:
    // timings in ns (tCCD_L) then bind before the pins.
    const MemoryIR &mem =
        *base.comp->module()->findDesign("d")->system->chip->memory;
    std::string set = fmt::format("{}.channels_per_layer={}", mem.name,
                                  2 * mem.channelsPerLayer);
    Evaluated fast(s, {set});
    ASSERT_TRUE(fast.ok) << fast.errorsText;
    // The change really is a faster memory: streaming bandwidth up >= 1.5x.
    const MemoryIR &fmem =
        *fast.comp->module()->findDesign("d")->system->chip->memory;
    dram::Pattern p;
    p.kind = dram::PatternKind::Sequential;
    p.requestBytes = 128;
    p.outstanding = 1e6;
    double b0 = dram::evaluateStack(mem, p, 350).bandwidth;
    double b1 = dram::evaluateStack(fmem, p, 350).bandwidth;
    EXPECT_GE(b1, 1.5 * b0) << set;
    ASSERT_TRUE(fast.m.feasible);
    EXPECT_LE(fast.m.tpot, base.m.tpot * (1 + kEps));
    EXPECT_GE(fast.m.stps, base.m.stps * (1 - kEps));
    ++compared;
  }
  EXPECT_GE(compared, 4u);
}

TEST(DesignProperty, TensorParallelHalvesWeightsPerDevice) {
  for (const char *model : {"llama3_8b", "llama3_70b"}) {
    for (const char *chip : {"h100", "b200"}) {
      std::vector<double> w;
      // llama3: 8 KV heads; tp up to 8 splits them, tp 16 replicates them.
      for (int64_t tp : {1, 2, 4, 8, 16}) {
        Spec s;
        s.chip = chip;
        s.model = model;
        s.tp = tp;
        s.batch = 1;
        s.prompt = 16;
        s.generate = 16;
        SCOPED_TRACE(s.str());
        Evaluated e(s);
        ASSERT_TRUE(e.ok) << e.errorsText;
        w.push_back(e.m.memory.weights);
      }
      // tp 1 -> 2 -> 4 -> 8: every matrix, the embedding and the head halve.
      for (size_t i = 0; i + 1 < 4; ++i)
        EXPECT_NEAR(w[i + 1], w[i] / 2, kEps * w[i]) << model << " " << i;
      // tp 8 -> 16: the KV projections stay (one KV head per device), so a
      // little more than half, and still less than before.
      EXPECT_GT(w[4], w[3] / 2 * (1 + 1e-6)) << model;
      EXPECT_LT(w[4], w[3]) << model;
    }
  }
}

TEST(DesignProperty, DecodeThroughputGrowsWithBatchUntilItSaturates) {
  for (const char *chip : {"h100", "b200"}) {
    std::vector<double> stps, tpot;
    for (int64_t b = 1; b <= 256; b *= 2) {
      Spec s;
      s.chip = chip;
      s.batch = b;
      s.prompt = 512;
      s.generate = 512;
      SCOPED_TRACE(s.str());
      Evaluated e(s);
      ASSERT_TRUE(e.ok) << e.errorsText;
      ASSERT_TRUE(e.m.feasible) << e.m.infeasible;
      stps.push_back(e.m.stps);
      tpot.push_back(e.m.tpot);
      // The report names what binds.
      ASSERT_FALSE(e.m.limits.empty());
      EXPECT_NE(e.m.limits.front().find("-bound"), std::string::npos)
          << e.m.limits.front();
    }
    for (size_t i = 0; i + 1 < stps.size(); ++i) {
      // More requests per step never lower the system rate, and a step
      // never gets faster with more requests.
      EXPECT_GE(stps[i + 1], stps[i] * (1 - kEps)) << chip << " batch "
                                                   << (1 << i);
      EXPECT_GE(tpot[i + 1], tpot[i] * (1 - kEps)) << chip;
      // ... and never more than double it.
      EXPECT_LE(stps[i + 1], 2 * stps[i] * (1 + kEps)) << chip;
    }
    // Weight-bound at batch 1: the second request is almost free.
    EXPECT_GT(stps[1], 1.8 * stps[0]) << chip;
    // Saturation: the last doubling gains less than the first.
    EXPECT_LT(stps.back() / stps[stps.size() - 2], stps[1] / stps[0]) << chip;
  }
}

TEST(DesignProperty, EnergyPerTokenPositiveAndFinite) {
  Random r(2);
  unsigned feasible = 0;
  for (int i = 0; i < 24; ++i) {
    Spec s = r.spec();
    SCOPED_TRACE(s.str());
    Evaluated e(s);
    ASSERT_TRUE(e.ok) << e.errorsText;
    if (!e.m.feasible) {
      EXPECT_NE(e.m.infeasible.find("out of memory"), std::string::npos);
      EXPECT_GT(e.m.memory.total(), e.m.memory.capacity);
      continue;
    }
    ++feasible;
    EXPECT_LE(e.m.memory.total(), e.m.memory.capacity);
    EXPECT_TRUE(std::isfinite(e.m.energyPerToken));
    EXPECT_GT(e.m.energyPerToken, 0);
    // At least the static power of every device over a token period.
    const ChipIR &chip = *e.comp->module()->findDesign("d")->system->chip;
    EXPECT_GE(e.m.energyPerToken * (1 + kEps),
              chip.staticPower * double(s.devices()) * e.m.tpot /
                  double(s.batch));
    EXPECT_NEAR(e.m.tokensPerJoule * e.m.energyPerToken, 1, kEps);
    for (double x : {e.m.ttft, e.m.tpot, e.m.stps, e.m.avgPower, e.m.peakPower})
      EXPECT_TRUE(std::isfinite(x) && x > 0) << x;
    EXPECT_GE(e.m.peakPower, e.m.avgPower);
    // TPOT <= max(M, pp) * stage step (the stages differ only by the
    // embedding and the head, which the step holds both of); STPS =
    // batch / TPOT.
    const ScheduleIR &sch = *e.comp->module()->findDesign("d")->schedule;
    double M = double(sch.microbatches), pp = double(sch.pp);
    EXPECT_LE(e.m.tpot, std::max(M, pp) * e.m.decode.step.time * (1 + kEps));
    EXPECT_NEAR(e.m.stps, double(s.batch) / e.m.tpot, kEps * e.m.stps);
  }
  EXPECT_GE(feasible, 8u);
}

TEST(DesignProperty, JsonAndCsvNumbersAreFinite) {
  Random r(3);
  for (int i = 0; i < 24; ++i) {
    Spec s = r.spec();
    SCOPED_TRACE(s.str());
    Evaluated e(s);
    ASSERT_TRUE(e.ok) << e.errorsText;
    std::string text = json(e.m);
    auto v = llvm::json::parse(text);
    ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError()) << "\n" << text;
    std::vector<std::string> bad;
    checkFinite(*v, "", bad);
    EXPECT_TRUE(bad.empty()) << bad.front();
    const llvm::json::Object &o = *v->getAsObject();
    EXPECT_EQ(o.getString("schema"), llvm::Optional<llvm::StringRef>(
                                         "deepstack-report"));
    EXPECT_EQ(o.getInteger("version"),
              llvm::Optional<int64_t>(kReportSchemaVersion));
    EXPECT_EQ(o.getBoolean("feasible"), llvm::Optional<bool>(e.m.feasible));
    EXPECT_EQ(o.getObject("metrics") != nullptr, e.m.feasible);

    // CSV: the row has as many fields as the header, none "nan" or "inf".
    std::string csv;
    llvm::raw_string_ostream cs(csv);
    printDesignCSVHeader(cs);
    printDesignCSVRow(e.m, cs);
    cs.flush();
    llvm::StringRef header, row;
    std::tie(header, row) = llvm::StringRef(csv).split('\n');
    row = row.rtrim('\n');
    EXPECT_EQ(header.count(','), row.count(',')) << csv;
    EXPECT_EQ(llvm::StringRef(row).lower().find("nan"), std::string::npos)
        << row.str();
    EXPECT_EQ(llvm::StringRef(row).lower().find("inf"), std::string::npos)
        << row.str();
  }
}
