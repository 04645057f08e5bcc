//===- IntervalEvalTest.cpp - Field enclosures over a box of axes ---------===//
//
// Instantiator::fieldInterval: axis fields span their interval, fields no
// axis reaches are points, derived fields (bindings, schema defaults, if()
// defaults, paths through references and levels) are enclosed by interval
// arithmetic, and every committed point's value lies in the enclosure.
//
//===----------------------------------------------------------------------===//
#include "frontend/Instantiator.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>
#include <random>

using namespace ds;

namespace {
const std::string kExamples = DEEPSTACK_SOURCE_DIR "/examples/";

/// A chip whose peak scales with cores and clock from the B200's, a memory
/// whose connected_layers and vertical.energy are defaults, a level whose
/// link reads another level's and whose ports round a chip field.
const char *kSource = R"(import "{EX}flagship.ds";
memory tall {
  stacks = 4; layers = 8; layer_capacity = 4 GiB; channels_per_layer = 8;
  data_rate = 4.8 GT/s; bus_width = 32 B; on_logic = true;
  vertical = hybrid_bond;
}
chip acc : b200 {
  memory = tall;
  cores = 128;
  clock = 1.8 GHz;
  peak { bf16 = b200.peak.bf16 * cores / b200.cores * clock / b200.clock; }
}
network net2 {
  level board = switch(8) { link = 900 GB/s; latency = 0.5 us; }
  level rack = torus(4, 4) {
    link = net2.board.link / 9; latency = 2 us; ports = ceil(acc.cores / 48);
  }
}
system sy { chip = acc; network = net2; }
design dd { system = sy; workload = chat; schedule = s; }
sweep sw over dd {
  acc.clock in linspace(1 GHz, 2 GHz, 5);
  acc.cores in 64 .. 128;
  tall.layers in {4, 8, 12, 16};
  tall.vertical in {tsv, hybrid_bond};
  tall.data_rate in {3.2 GT/s, 4.8 GT/s, 6.4 GT/s};
  net2.board.link in {450 GB/s, 900 GB/s};
  s.tp in {1, 2, 4, 8};
}
sweep byMemory over dd { acc.memory in {tall, stack3d}; }
)";
enum : unsigned { Clock, Cores, Layers, Vertical, DataRate, Link, Tp };

Value count(double n) { return Value::number(n, Dim::none(), true); }
Value real(double v, Dim d) { return Value::number(v, d, false); }

class IntervalEvalTest : public ::testing::Test {
protected:
  std::unique_ptr<Instantiator> open(llvm::StringRef sweep) {
    if (temp.empty()) {
      llvm::SmallString<128> path;
      int fd;
      EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("ivl", "ds", fd, path));
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      std::string text = kSource;
      text.replace(text.find("{EX}"), 4, kExamples);
      os << text;
      temp = std::string(path);
    }
    std::string error;
    auto inst = Instantiator::create(FrontendOptions(), temp, sweep, error);
    EXPECT_TRUE(inst) << error;
    return inst;
  }
  void TearDown() override {
    if (!temp.empty())
      llvm::sys::fs::remove(temp);
  }
  /// The value of \p field at cores = \p cores, clock = \p clock.
  double at(Instantiator &inst, double cores, double clock,
            llvm::StringRef field) {
    std::string why;
    inst.set(Cores, count(cores));
    inst.set(Clock, real(clock, Dim::frequency()));
    EXPECT_TRUE(inst.commit(why)) << why;
    return inst.field(field)->num;
  }
  std::string temp;
};

/// Every axis open: numeric axes span their values, names span everything.
Interval openAxis(unsigned a) {
  switch (a) {
  case Clock:
    return {1e9, 2e9};
  case Cores:
    return {64, 128};
  case Layers:
    return {4, 16};
  case DataRate:
    return {3.2e9, 6.4e9};
  case Link:
    return {450e9, 900e9};
  case Tp:
    return {1, 8};
  default:
    return Interval::all();
  }
}

TEST_F(IntervalEvalTest, PeakSpansItsCorners) {
  auto inst = open("sw");
  ASSERT_TRUE(inst);
  // peak.bf16 = 2250 TFLOP/s * cores / 148 * clock / 1.965 GHz grows with
  // both axes, so its ends are the corners:
  //   lo = 2250 * 64 / 148 * 1 / 1.965   =  495.152 TFLOP/s
  //   hi = 2250 * 128 / 148 * 2 / 1.965  = 1980.607 TFLOP/s
  Interval iv = inst->fieldInterval("acc.peak.bf16", openAxis);
  EXPECT_NEAR(iv.lo, 495.152e12, 0.001e12);
  EXPECT_NEAR(iv.hi, 1980.607e12, 0.001e12);
  // Evaluated in Evaluator's order, the ends are the corner values exactly.
  double lo = at(*inst, 64, 1e9, "acc.peak.bf16");
  double hi = at(*inst, 128, 2e9, "acc.peak.bf16");
  EXPECT_EQ(iv.lo, lo);
  EXPECT_EQ(iv.hi, hi);
  // The current point (128, 2 GHz) does not change the enclosure.
  Interval again = inst->fieldInterval("acc.peak.bf16", openAxis);
  EXPECT_EQ(again.lo, iv.lo);
  EXPECT_EQ(again.hi, iv.hi);
  // Nor does the enclosure change the current point.
  EXPECT_EQ(inst->field("acc.peak.bf16")->num, hi);
  // Defaults reading it follow: fp16 = bf16, tf32 = bf16 / 2.
  Interval fp16 = inst->fieldInterval("acc.peak.fp16", openAxis);
  Interval tf32 = inst->fieldInterval("acc.peak.tf32", openAxis);
  EXPECT_EQ(fp16.lo, lo);
  EXPECT_EQ(fp16.hi, hi);
  EXPECT_EQ(tf32.lo, lo / 2);
  EXPECT_EQ(tf32.hi, hi / 2);
  // The same field through the design's references.
  Interval viaRefs = inst->fieldInterval("dd.system.chip.peak.bf16", openAxis);
  EXPECT_EQ(viaRefs.lo, lo);
  EXPECT_EQ(viaRefs.hi, hi);
}

TEST_F(IntervalEvalTest, AssignedClockNarrows) {
  auto inst = open("sw");
  ASSERT_TRUE(inst);
  auto clockAt15 = [](unsigned a) {
    return a == Clock ? Interval::point(1.5e9) : openAxis(a);
  };
  Interval iv = inst->fieldInterval("acc.peak.bf16", clockAt15);
  // 2250 * 64 / 148 * 1.5 / 1.965 = 742.727, 2250 * 128 / 148 * 1.5 /
  // 1.965 = 1485.455 TFLOP/s.
  EXPECT_EQ(iv.lo, at(*inst, 64, 1.5e9, "acc.peak.bf16"));
  EXPECT_EQ(iv.hi, at(*inst, 128, 1.5e9, "acc.peak.bf16"));
  EXPECT_NEAR(iv.lo, 742.727e12, 0.001e12);
  EXPECT_NEAR(iv.hi, 1485.455e12, 0.001e12);
  // Both assigned: a point.
  auto both = [](unsigned a) {
    return a == Clock   ? Interval::point(1.5e9)
           : a == Cores ? Interval::point(96)
                        : openAxis(a);
  };
  Interval p = inst->fieldInterval("acc.peak.bf16", both);
  EXPECT_TRUE(p.isPoint());
  EXPECT_EQ(p.lo, at(*inst, 96, 1.5e9, "acc.peak.bf16"));
}

TEST_F(IntervalEvalTest, DefaultsAndFixedFields) {
  auto inst = open("sw");
  ASSERT_TRUE(inst);
  // Axes are their intervals.
  Interval cores = inst->fieldInterval("acc.cores", openAxis);
  EXPECT_EQ(cores.lo, 64);
  EXPECT_EQ(cores.hi, 128);
  // connected_layers defaults to layers.
  Interval connected = inst->fieldInterval("tall.connected_layers", openAxis);
  EXPECT_EQ(connected.lo, 4);
  EXPECT_EQ(connected.hi, 16);
  // acc inherits b200's sram_bandwidth = cores * clock * 256 B:
  // 64 * 1 GHz * 256 B = 16.384 TB/s .. 128 * 2 GHz * 256 B = 65.536 TB/s.
  Interval sram = inst->fieldInterval("acc.sram_bandwidth", openAxis);
  EXPECT_EQ(sram.lo, 64 * 1e9 * 256);
  EXPECT_EQ(sram.hi, 128 * 2e9 * 256);
  // l2_bandwidth is the schema default cores * clock * 64 B.
  Interval l2 = inst->fieldInterval("acc.l2_bandwidth", openAxis);
  EXPECT_EQ(l2.lo, 64 * 1e9 * 64);
  EXPECT_EQ(l2.hi, 128 * 2e9 * 64);
  // vertical.bandwidth_per_layer = channels_per_layer * bus_width *
  // data_rate = 8 * 32 B * 3.2 .. 6.4 GT/s = 819.2 .. 1638.4 GB/s.
  Interval vbw =
      inst->fieldInterval("tall.vertical.bandwidth_per_layer", openAxis);
  EXPECT_DOUBLE_EQ(vbw.lo, 819.2e9);
  EXPECT_DOUBLE_EQ(vbw.hi, 1638.4e9);
  // A level reading another level: 450 / 9 .. 900 / 9 GB/s.
  Interval rack = inst->fieldInterval("net2.rack.link", openAxis);
  EXPECT_EQ(rack.lo, 50e9);
  EXPECT_EQ(rack.hi, 100e9);
  // A whole-number field: ceil(64 / 48) = 2 .. ceil(128 / 48) = 3.
  Interval ports = inst->fieldInterval("net2.rack.ports", openAxis);
  EXPECT_EQ(ports.lo, 2);
  EXPECT_EQ(ports.hi, 3);
  // No axis reaches these: their current value, a point.
  Interval fp8 = inst->fieldInterval("acc.peak.fp8", openAxis);
  EXPECT_TRUE(fp8.isPoint());
  EXPECT_EQ(fp8.lo, 4500e12);
  Interval l2Size = inst->fieldInterval("acc.l2", openAxis);
  EXPECT_EQ(l2Size.lo, 126.0 * 1024 * 1024);
  EXPECT_TRUE(l2Size.isPoint());
  // Not numbers, or no such field: everything.
  EXPECT_FALSE(inst->fieldInterval("acc.memory", openAxis).bounded());
  EXPECT_FALSE(inst->fieldInterval("net2.board.topology", openAxis).bounded());
  EXPECT_FALSE(inst->fieldInterval("acc.nonsense", openAxis).bounded());
  EXPECT_FALSE(inst->fieldInterval("nowhere.cores", openAxis).bounded());
}

TEST_F(IntervalEvalTest, UndecidedIfIsTheHull) {
  auto inst = open("sw");
  ASSERT_TRUE(inst);
  // area.vertical_port = if(memory.vertical == hybrid_bond, 1 mm2, 4 mm2)
  // with vertical an open axis: both branches.
  Interval port = inst->fieldInterval("acc.area.vertical_port", openAxis);
  EXPECT_DOUBLE_EQ(port.lo, 1e-6);
  EXPECT_DOUBLE_EQ(port.hi, 4e-6);
  // Energies per bit are stored per byte: 0.05 and 0.4 pJ/bit times 8.
  Interval energy = inst->fieldInterval("tall.vertical.energy", openAxis);
  EXPECT_DOUBLE_EQ(energy.lo, 0.4e-12);
  EXPECT_DOUBLE_EQ(energy.hi, 3.2e-12);
  // In the other sweep no axis reaches vertical: the branch is decided.
  auto other = open("byMemory");
  ASSERT_TRUE(other);
  auto none = [](unsigned) { return Interval::all(); };
  Interval fixed = other->fieldInterval("tall.vertical.energy", none);
  EXPECT_TRUE(fixed.isPoint());
  EXPECT_DOUBLE_EQ(fixed.lo, 0.4e-12);
}

TEST_F(IntervalEvalTest, ReferenceAxisOnThePath) {
  auto inst = open("byMemory");
  ASSERT_TRUE(inst);
  auto none = [](unsigned) { return Interval::all(); };
  // acc.memory is the axis: which memory's layers is open.
  EXPECT_FALSE(inst->fieldInterval("acc.memory.layers", none).bounded());
  // The if() reading memory.vertical cannot decide, so both branches.
  Interval port = inst->fieldInterval("acc.area.vertical_port", none);
  EXPECT_DOUBLE_EQ(port.lo, 1e-6);
  EXPECT_DOUBLE_EQ(port.hi, 4e-6);
  // Fields of the memories themselves are still fixed.
  EXPECT_TRUE(inst->fieldInterval("tall.layers", none).isPoint());
}

/// Random sub-boxes of the axes and random points inside them: the
/// committed value of each field lies in its enclosure.
TEST_F(IntervalEvalTest, RandomPointsLieInside) {
  auto inst = open("sw");
  ASSERT_TRUE(inst);
  const std::vector<double> clocks = {1e9, 1.25e9, 1.5e9, 1.75e9, 2e9};
  const std::vector<double> layers = {4, 8, 12, 16};
  const std::vector<double> rates = {3.2e9, 4.8e9, 6.4e9};
  const std::vector<double> links = {450e9, 900e9};
  const std::vector<double> tps = {1, 2, 4, 8};
  const char *fields[] = {
      "acc.peak.bf16",           "acc.peak.fp16",
      "acc.peak.tf32",           "acc.peak.fp32",
      "acc.sram_bandwidth",      "acc.l2_bandwidth",
      "acc.area.vertical_port",  "tall.connected_layers",
      "tall.vertical.energy",    "tall.vertical.bandwidth_per_layer",
      "tall.timing.tCCD",        "tall.timing.tCCD_L",
      "tall.controller.latency", "net2.rack.link",
      "net2.rack.ports",         "dd.system.chip.peak.bf16",
      "acc.thermal.r_layer",     "s.tp"};
  std::mt19937 rng(20240611);
  auto pick = [&](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  // A random run [i, j] of a value list, and a random value inside it.
  struct Box {
    size_t lo, hi;
  };
  auto box = [&](const std::vector<double> &v) {
    size_t a = pick(v.size()), b = pick(v.size());
    return Box{std::min(a, b), std::max(a, b)};
  };
  auto inside = [&](const Box &b) { return b.lo + pick(b.hi - b.lo + 1); };
  unsigned checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    Box c = box(clocks), l = box(layers), r = box(rates), k = box(links),
        t = box(tps);
    double coresLo = 64 + double(pick(65)), coresHi = 64 + double(pick(65));
    if (coresLo > coresHi)
      std::swap(coresLo, coresHi);
    bool verticalOpen = pick(2);
    bool hybrid = pick(2);
    auto axisIv = [&](unsigned a) -> Interval {
      switch (a) {
      case Clock:
        return {clocks[c.lo], clocks[c.hi]};
      case Cores:
        return {coresLo, coresHi};
      case Layers:
        return {layers[l.lo], layers[l.hi]};
      case DataRate:
        return {rates[r.lo], rates[r.hi]};
      case Link:
        return {links[k.lo], links[k.hi]};
      case Tp:
        return {tps[t.lo], tps[t.hi]};
      default:
        return Interval::all();
      }
    };
    std::vector<Interval> enclosures;
    for (const char *f : fields) {
      enclosures.push_back(inst->fieldInterval(f, axisIv));
      // Sound but useless would pass too: every field here has bounds.
      EXPECT_TRUE(enclosures.back().bounded()) << f;
    }
    for (int point = 0; point < 5; ++point) {
      std::string why;
      inst->set(Clock, real(clocks[inside(c)], Dim::frequency()));
      inst->set(Cores,
                count(coresLo + double(pick(size_t(coresHi - coresLo) + 1))));
      inst->set(Layers, count(layers[inside(l)]));
      inst->set(Vertical,
                Value::name(verticalOpen ? (pick(2) ? "tsv" : "hybrid_bond")
                                         : (hybrid ? "hybrid_bond" : "tsv")));
      inst->set(DataRate, real(rates[inside(r)], Dim::frequency()));
      inst->set(Link, real(links[inside(k)], Dim::bandwidth()));
      inst->set(Tp, count(tps[inside(t)]));
      if (!inst->commit(why))
        continue; // an invalid point (rack.ports not whole, say)
      for (size_t i = 0; i < std::size(fields); ++i) {
        auto v = inst->field(fields[i]);
        ASSERT_TRUE(v) << fields[i];
        EXPECT_LE(enclosures[i].lo, v->num) << fields[i] << " trial " << trial;
        EXPECT_GE(enclosures[i].hi, v->num) << fields[i] << " trial " << trial;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1000u);
}
} // namespace
