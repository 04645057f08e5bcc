//===- SweepMonotoneTest.cpp - What the sweep's probes assume
//--------------===//
//
// The probe bounds of a sweep (passes/SweepProbe.cpp, SweepCorner.cpp)
// rest on the model being monotone: a decode step never shortens with more
// requests, and never lengthens with more cores (peak rates growing with
// them), a faster clock, more SRAM per core, wider links or shorter hops -
// throttling included, and with tile overlap at its floor where the tiling
// can change (passes/OverlapScheduling.h). Checked here on random designs
// of the library's chips and models with a fixed seed; a failure names the
// design and the values.
//
//===----------------------------------------------------------------------===//
#include "frontend/Driver.h"
#include "passes/Evaluate.h"
#include "passes/OverlapScheduling.h"
#include "passes/Tiling.h"
#include "runtime/network/Fabric.h"
#include "runtime/network/NetworkModel.h"
#include "llvm/ADT/Optional.h"

#include "llvm/Support/raw_ostream.h"
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <random>
#include <sstream>

using namespace ds;

namespace {
struct Spec {
  std::string chip = "h100", model = "llama3_8b";
  int64_t tp = 1, pp = 1, dp = 1, ep = 1, microbatches = 1;
  int64_t batch = 8, prompt = 512, generate = 512;
  std::string overlap = "layer";
  std::string text() const {
    // A chip whose peak rates follow its cores and clock, on two levels.
    return fmt::format(
        "import \"chips/{0}.ds\";\nimport \"models/{1}.ds\";\n"
        "chip c : {0} {{ peak {{\n"
        "  bf16 = {0}.peak.bf16 * cores / {0}.cores * clock / {0}.clock;\n"
        "  fp8 = {0}.peak.fp8 * cores / {0}.cores * clock / {0}.clock;\n"
        "  fp32 = {0}.peak.fp32 * cores / {0}.cores * clock / {0}.clock; }} "
        "}}\n"
        "network n {{\n"
        "  level b = switch({2}) {{ link = 450 GB/s; latency = 0.5 us; }}\n"
        "  level r = ring({3}) {{ link = 100 GB/s; latency = 2 us; }} }}\n"
        "system y {{ chip = c; network = n; }}\n"
        "workload w {{ model = {4}; phase = decode; batch = {5}; prompt = {6}; "
        "generate = {7}; }}\n"
        "schedule s {{ tp = {8}; pp = {9}; dp = {10}; ep = {11}; "
        "microbatches = {12}; overlap = {13}; }}\n"
        "design d {{ system = y; workload = w; schedule = s; }}\n",
        chip, model.rfind("qwen3", 0) == 0 ? "qwen3" : "llama3",
        std::min<int64_t>(4, tp * pp * dp),
        std::max<int64_t>(1, tp * pp * dp / 4), model, batch, prompt, generate,
        tp, pp, dp, ep, microbatches, overlap);
  }
  std::string str() const {
    return fmt::format("{} {} tp{} pp{} dp{} ep{} mb{} batch {} overlap {}",
                       chip, model, tp, pp, dp, ep, microbatches, batch,
                       overlap);
  }
};

/// Designs evaluated whose clock throttled (so that the checks cover it).
int throttled = 0;

/// TPOT of design `d` of \p text with \p settings (throttled; with
/// \p floorOverlap, tile overlap at its floor); 0 when it does not fit.
double relaxedTpotOf(const std::string &text, std::vector<std::string> settings,
                     bool floorOverlap = true) {
  clearOperatorCache(); // keyed on ChipIR addresses a new compilation reuses
  std::string errors;
  llvm::raw_string_ostream errs(errors);
  FrontendOptions o;
  o.settings = std::move(settings);
  Compilation comp(o, errs);
  if (!comp.runBuffer(text, "monotone.ds"))
    return -1;
  const DesignIR *d = comp.module()->findDesign("d");
  net::NetworkModel network(net::FabricSpec::fromIR(*d->system->network));
  DesignMetrics m;
  llvm::Optional<RelaxedScope> relaxed;
  if (floorOverlap)
    relaxed.emplace();
  if (!evaluateDesign(*d, network, comp.diags(), m, nullptr, false) ||
      !m.feasible)
    return 0;
  throttled += m.decode.clockScale < 1;
  return m.tpot;
}

double relaxedTpot(const Spec &s, std::vector<std::string> settings,
                   bool floorOverlap = true) {
  return relaxedTpotOf(s.text(), std::move(settings), floorOverlap);
}

Spec randomSpec(std::mt19937_64 &gen) {
  auto pick = [&](std::initializer_list<int64_t> l) {
    return l
        .begin()[std::uniform_int_distribution<size_t>(0, l.size() - 1)(gen)];
  };
  Spec s;
  // b200_3d runs hot: its clock throttles at large batches.
  const char *chips[] = {"h100", "b200", "b200_3d", "b200_3d", "mi300x"};
  const char *models[] = {"llama3_8b", "llama3_70b", "qwen3_235b_a22b"};
  s.chip = chips[pick({0, 1, 2, 3, 4})];
  s.model = models[pick({0, 0, 1, 2})];
  s.tp = pick({1, 2, 4, 8});
  s.pp = pick({1, 1, 2});
  s.dp = pick({1, 2, 4});
  s.microbatches = pick({1, 2, 4});
  if (s.model.rfind("qwen3", 0) == 0) {
    s.tp = std::max<int64_t>(s.tp, 4);
    s.ep = pick({1, 2}) * s.tp;
  }
  s.batch = pick({1, 8, 64, 256});
  s.prompt = pick({128, 1024});
  s.generate = pick({64, 1024});
  s.overlap = pick({0, 1, 2}) == 0 ? "none" : pick({0, 1}) ? "layer" : "tile";
  return s;
}

/// Pairs of evaluated designs compared (a test that compares none fails).
int compared = 0;

/// Checks TPOT never grows along \p values of \p field (better last).
void expectNeverSlower(const Spec &s, const std::string &field,
                       const std::vector<std::string> &values,
                       bool floorOverlap) {
  double last = 0;
  std::string lastValue;
  for (const std::string &v : values) {
    double t = relaxedTpot(s, {field + "=" + v}, floorOverlap);
    ASSERT_GE(t, 0) << s.str() << " " << field << "=" << v;
    if (t == 0)
      return; // does not fit: neither does any other value
    if (last > 0) {
      EXPECT_LE(t, last * (1 + 1e-9))
          << s.str() << ": " << field << " " << lastValue << " -> " << v;
      ++compared;
    }
    last = t;
    lastValue = v;
  }
}
} // namespace

TEST(SweepMonotone, HardwareAxesNeverSlowAStepAtFullClock) {
  std::mt19937_64 gen(20261126);
  compared = throttled = 0;
  for (int i = 0; i < 30; ++i) {
    Spec s = randomSpec(gen);
    SCOPED_TRACE(s.str());
    // Cores and SRAM change the tiling, hence the waves that chunk a tile
    // overlap: monotone with the overlap floor only.
    expectNeverSlower(s, "c.cores", {"64", "97", "128", "131", "160", "192"},
                      true);
    expectNeverSlower(s, "c.sram_per_core",
                      {"64 KiB", "128 KiB", "200 KiB", "256 KiB", "512 KiB"},
                      true);
    for (bool floor : {false, true}) {
      expectNeverSlower(s, "c.clock",
                        {"1.2 GHz", "1.5 GHz", "1.8 GHz", "2.1 GHz"}, floor);
      expectNeverSlower(s, "n.b.link", {"50 GB/s", "300 GB/s", "900 GB/s"},
                        floor);
      expectNeverSlower(s, "n.r.link", {"25 GB/s", "100 GB/s", "400 GB/s"},
                        floor);
      expectNeverSlower(s, "n.b.latency", {"5 us", "1 us", "0.2 us"}, floor);
    }
  }
  // 30 specs x 31 pairs; designs that do not fit compare nothing.
  EXPECT_GE(compared, 300);
  EXPECT_GE(throttled, 20);
}

TEST(SweepMonotone, MoreRequestsNeverShortenAStep) {
  std::mt19937_64 gen(7);
  int pairs = 0;
  throttled = 0;
  for (int i = 0; i < 30; ++i) {
    Spec s = randomSpec(gen);
    SCOPED_TRACE(s.str());
    double last = 0;
    for (int64_t b : {1, 2, 3, 5, 8, 13, 31, 64, 100, 257, 1000}) {
      s.batch = b;
      double t = relaxedTpot(s, {}, /*floorOverlap=*/true);
      ASSERT_GE(t, 0) << s.str();
      if (t == 0)
        break; // out of memory from here on
      EXPECT_GE(t, last * (1 - 1e-9)) << s.str() << " batch " << b;
      pairs += last > 0;
      last = t;
    }
  }
  EXPECT_GE(pairs, 100);
  EXPECT_GE(throttled, 10);
}

// The overlap floor by hand, and below overlapTile for every chunking.
TEST(SweepMonotone, OverlapFloorByHand) {
  // Compute-bound: c = 10, h = 1, l = 4: min(1 + max(10, 5), 15) = 11.
  EXPECT_DOUBLE_EQ(overlapFloor(10, 1, 4), 11);
  // Network-bound: c = 2: min(1 + max(2, 5), 7) = 6.
  EXPECT_DOUBLE_EQ(overlapFloor(2, 1, 4), 6);
  // Latency above the compute: c = 1, h = 3, l = 0: min(3 + 3, 4) = 4,
  // the serial sum (no chunking hides anything).
  EXPECT_DOUBLE_EQ(overlapFloor(1, 3, 0), 4);
  // overlapTile(10, 1, 4, 4 waves) = 10/4 + max(7.5, 1 + 3) + 1 + 1 = 12.
  EXPECT_DOUBLE_EQ(overlapTile(10, 1, 4, 4), 12);
  for (double c : {0.5, 2.0, 10.0})
    for (double h : {0.0, 1.0, 3.0})
      for (double l : {0.0, 4.0, 20.0})
        for (double w : {0.2, 1.0, 1.6, 3.0, 17.0, 1000.0})
          EXPECT_LE(overlapFloor(c, h, l), overlapTile(c, h, l, w) + 1e-12)
              << c << " " << h << " " << l << " " << w;
}

// examples/dse-2.5e14.ds, where the corners bound the search: every value
// of its cores, SRAM and clock axes in turn, on stacks that throttle (12
// and 16 layers, all connected) and one that does not, at schedules near
// its optimum.
TEST(SweepMonotone, TheLargeExampleAlongEachCornerAxis) {
  std::string path =
      std::string(DEEPSTACK_SOURCE_DIR) + "/examples/dse-2.5e14.ds";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  // Imports resolve against lib/ (found without -I).
  int pairs = 0;
  throttled = 0;
  for (int layers : {8, 12, 16})
    for (const char *sched : {"s.tp=1", "s.tp=8"})
      for (const char *batch : {"chat.batch=1024", "chat.batch=8192"}) {
        std::vector<std::string> base = {
            fmt::format("stack3d.layers={}", layers),
            fmt::format("stack3d.connected_layers={}", layers),
            sched,
            std::string("s.dp=") + (sched[5] == '1' ? "128" : "16"),
            batch,
            "fabric8x16.board.link=1800 GB/s"};
        auto along = [&](const std::string &field,
                         std::vector<std::string> values) {
          double last = 0;
          for (const std::string &v : values) {
            std::vector<std::string> set = base;
            set.push_back(field + "=" + v);
            double t = relaxedTpotOf(text.str(), set);
            ASSERT_GE(t, 0) << field << "=" << v;
            if (t == 0)
              return;
            if (last > 0) {
              EXPECT_LE(t, last * (1 + 1e-9))
                  << layers << " layers " << sched << ": " << field << "=" << v;
              ++pairs;
            }
            last = t;
          }
        };
        std::vector<std::string> cores, sram, clock;
        for (int c = 96; c <= 192; c += 4)
          cores.push_back(std::to_string(c));
        for (int k = 128; k <= 256; k += 8)
          sram.push_back(std::to_string(k) + " KiB");
        for (int i = 0; i <= 32; i += 2)
          clock.push_back(fmt::format("{} GHz", 1.2 + 0.025 * i));
        along("acc3d.cores", cores);
        along("acc3d.sram_per_core", sram);
        along("acc3d.clock", clock);
      }
  EXPECT_GE(pairs, 600);
  EXPECT_GE(throttled, 40);
}
