//===- InstantiatorTest.cpp - Sweep points rewritten in place -------------===//
//
// Sweeps over examples/flagship.ds: an axis change must reach exactly the
// fields, CHECK rules and IR declarations that depend on it, keep every
// pointer into the module, and give a declaration the same generation
// whenever the axes reaching it come back to the same values.
//
//===----------------------------------------------------------------------===//
#include "frontend/Instantiator.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>
#include <thread>

using namespace ds;

namespace {
const std::string kExamples = DEEPSTACK_SOURCE_DIR "/examples/";

Value count(double n) { return Value::number(n, Dim::none(), true); }

/// A sweep over a memory without connected_layers (so it defaults to
/// layers) and without vertical.energy (defaults from vertical), on a chip
/// whose area.vertical_port defaults from its memory's vertical.
const char *kVariant = R"(import "{EX}flagship.ds";
memory tall {
  stacks = 4; layers = 8; layer_capacity = 4 GiB; channels_per_layer = 8;
  data_rate = 4.8 GT/s; bus_width = 32 B; on_logic = true;
  vertical = hybrid_bond;
}
chip c : acc3d { memory = tall; }
system sy { chip = c; network = pod; }
design dd { system = sy; workload = chat; schedule = s; }
sweep sw over dd {
  tall.layers in {4, 8, 12, 16};
  tall.timing.tRCD in {14 ns, 40 ns};
  s.tp in {1, 2, 4, 8};
  chat.batch in {1, 8};
  tall.vertical in {tsv, hybrid_bond};
  pod.board.link in {450 GB/s, 900 GB/s};
}
)";

class InstantiatorTest : public ::testing::Test {
protected:
  std::unique_ptr<Instantiator> open(const std::string &path,
                                     llvm::StringRef sweep) {
    std::string error;
    auto inst = Instantiator::create(FrontendOptions(), path, sweep, error);
    EXPECT_TRUE(inst) << error;
    return inst;
  }
  std::unique_ptr<Instantiator> variant() {
    llvm::SmallString<128> path;
    int fd;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("inst", "ds", fd, path));
    {
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      std::string text = kVariant;
      text.replace(text.find("{EX}"), 4, kExamples);
      os << text;
    }
    temp = std::string(path);
    return open(temp, "sw");
  }
  void TearDown() override {
    if (!temp.empty())
      llvm::sys::fs::remove(temp);
  }
  std::string temp;
};

TEST_F(InstantiatorTest, LayersReachMemoryAndItsDefaults) {
  auto inst = variant();
  ASSERT_TRUE(inst);
  const MemoryIR &mem = *inst->design().system->chip->memory;
  EXPECT_EQ(mem.layers, 8);
  EXPECT_EQ(mem.connectedLayers, 8); // default: layers
  std::string why;
  inst->set(0, count(12));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(mem.layers, 12);
  EXPECT_EQ(mem.connectedLayers, 12);
  EXPECT_EQ(inst->field("tall.connected_layers")->num, 12);
  EXPECT_EQ(inst->field("dd.system.chip.memory.layers")->num, 12);

  // vertical feeds the memory's vertical.energy default and, through the
  // chip's reference, the chip's area.vertical_port default.
  const ChipIR &chip = *inst->design().system->chip;
  double hybridPort = chip.portArea, hybridEnergy = mem.verticalEnergy;
  inst->set(4, Value::name("tsv"));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(mem.vertical, VerticalLink::TSV);
  EXPECT_NEAR(mem.verticalEnergy, 8 * hybridEnergy, 1e-20); // 0.4 vs 0.05
  EXPECT_NEAR(chip.portArea, 4 * hybridPort, 1e-12);         // 4 vs 1 mm2
}

TEST_F(InstantiatorTest, CheckFailureThenRecovery) {
  auto inst = open(kExamples + "sweep_dse.ds", "dse");
  ASSERT_TRUE(inst);
  std::string why;
  inst->set(1, count(12)); // connected_layers 12 > layers 8
  EXPECT_FALSE(inst->commit(why));
  EXPECT_NE(why.find("connected_layers must not exceed layers"),
            std::string::npos) << why;
  EXPECT_NE(why.find("connected_layers = 12"), std::string::npos) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos) << why;
  // The same failure again is still a failure (no "seen before" pass).
  EXPECT_FALSE(inst->commit(why));
  inst->set(1, count(2));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(inst->design().system->chip->memory->connectedLayers, 2);
  // Growing layers makes connected_layers 12 valid.
  inst->set(0, count(16));
  inst->set(1, count(12));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(inst->design().system->chip->memory->connectedLayers, 12);
}

TEST_F(InstantiatorTest, ValueMustFitTheField) {
  auto inst = open(kExamples + "sweep_dse.ds", "dse");
  ASSERT_TRUE(inst);
  std::string why;
  inst->set(0, Value::number(2.5, Dim::none(), false));
  EXPECT_FALSE(inst->commit(why));
  EXPECT_NE(why.find("stack3d.layers"), std::string::npos) << why;
  EXPECT_NE(why.find("whole number"), std::string::npos) << why;
  inst->set(5, count(0)); // batch must be positive
  inst->set(0, count(8));
  EXPECT_FALSE(inst->commit(why));
  EXPECT_NE(why.find("chat.batch"), std::string::npos) << why;
  inst->set(5, count(8));
  EXPECT_TRUE(inst->commit(why)) << why;
  // Many failures never hit an error limit.
  for (int i = 0; i < 100; ++i) {
    inst->set(5, count(-i));
    EXPECT_FALSE(inst->commit(why));
  }
  inst->set(5, count(64));
  EXPECT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(inst->design().workload->batch, 64);
}

TEST_F(InstantiatorTest, GenerationFollowsTheConfiguration) {
  auto inst = open(kExamples + "sweep_dse.ds", "dse");
  ASSERT_TRUE(inst);
  const DesignIR &d = inst->design();
  const ChipIR *chip = d.system->chip;
  std::string why;
  auto chipAt = [&](int layers, int connected) {
    inst->set(0, count(layers));
    inst->set(1, count(connected));
    EXPECT_TRUE(inst->commit(why)) << why;
    return chip->generation;
  };
  uint64_t g84 = chipAt(8, 4), g124 = chipAt(12, 4), g122 = chipAt(12, 2);
  EXPECT_NE(g84, g124);
  EXPECT_NE(g124, g122);
  EXPECT_EQ(chipAt(8, 4), g84);
  EXPECT_EQ(chip->memory->generation, d.system->chip->memory->generation);

  // A schedule axis touches the schedule and the design only.
  uint64_t mem = chip->memory->generation, net = d.system->network->generation,
           wl = d.workload->generation, model = d.workload->model->generation,
           sched = d.schedule->generation, design = d.generation;
  int64_t layers = chip->memory->layers;
  inst->set(2, count(4));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(d.schedule->tp, 4);
  EXPECT_EQ(chip->generation, g84);
  EXPECT_EQ(chip->memory->generation, mem);
  EXPECT_EQ(d.system->network->generation, net);
  EXPECT_EQ(d.workload->generation, wl);
  EXPECT_EQ(d.workload->model->generation, model);
  EXPECT_EQ(chip->memory->layers, layers);
  EXPECT_NE(d.schedule->generation, sched);
  EXPECT_NE(d.generation, design);
  inst->set(2, count(8));
  ASSERT_TRUE(inst->commit(why)) << why;
  uint64_t sched8 = d.schedule->generation;
  inst->set(2, count(4));
  ASSERT_TRUE(inst->commit(why)) << why;
  inst->set(2, count(8));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(d.schedule->generation, sched8);
}

TEST_F(InstantiatorTest, PointersAndLevelsStayInPlace) {
  auto inst = variant();
  ASSERT_TRUE(inst);
  const DesignIR *d = &inst->design();
  const SystemIR *sys = d->system;
  const ChipIR *chip = sys->chip;
  const MemoryIR *mem = chip->memory;
  const NetworkIR *net = sys->network;
  const LevelIR *board = &net->levels[0];
  uint64_t netGen = net->generation;
  std::string why;
  inst->set(5, Value::number(450e9, Dim::bandwidth(), false));
  inst->set(0, count(16));
  ASSERT_TRUE(inst->commit(why)) << why;
  EXPECT_EQ(&inst->design(), d);
  EXPECT_EQ(d->system, sys);
  EXPECT_EQ(sys->chip, chip);
  EXPECT_EQ(chip->memory, mem);
  EXPECT_EQ(sys->network, net);
  ASSERT_EQ(net->levels.size(), 2u);
  EXPECT_EQ(&net->levels[0], board);
  EXPECT_EQ(board->link, 450e9);
  EXPECT_NE(net->generation, netGen);
  EXPECT_EQ(inst->field("pod.board.link")->num, 450e9);
  EXPECT_EQ(mem->layers, 16);
}

TEST_F(InstantiatorTest, AxesReaching) {
  auto inst = variant();
  ASSERT_TRUE(inst);
  // tall.layers, tall.timing.tRCD, s.tp, chat.batch, tall.vertical,
  // pod.board.link
  using V = std::vector<unsigned>;
  EXPECT_EQ(inst->axesReaching("tall"), (V{0, 1, 4}));
  EXPECT_EQ(inst->axesReaching("c"), (V{0, 1, 4}));
  EXPECT_EQ(inst->axesReaching("s"), (V{2}));
  EXPECT_EQ(inst->axesReaching("chat"), (V{3}));
  EXPECT_EQ(inst->axesReaching("pod.board"), (V{5}));
  EXPECT_EQ(inst->axesReaching("pod"), (V{5}));
  EXPECT_EQ(inst->axesReaching("sy"), (V{0, 1, 4, 5}));
  EXPECT_EQ(inst->axesReaching("dd"), (V{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(inst->axesReaching("llama3_70b").empty());
  EXPECT_TRUE(inst->axesReaching("stack3d").empty());
}

/// Every point of a small space, visited in an order that changes one to
/// six axes at a time, prints the same IR as compiling the file with the
/// point's values as --set overrides (and fails where that compile fails).
TEST_F(InstantiatorTest, MatchesAFreshCompile) {
  auto inst = variant();
  ASSERT_TRUE(inst);
  struct Choice {
    const char *set;
    Value value;
  };
  std::vector<std::vector<Choice>> axes = {
      {{"tall.layers=4", count(4)}, {"tall.layers=12", count(12)}},
      {{"tall.timing.tRCD=14 ns", Value::number(14e-9, Dim::time(), false)},
       {"tall.timing.tRCD=40 ns", Value::number(40e-9, Dim::time(), false)}},
      {{"s.tp=2", count(2)}, {"s.tp=8", count(8)}},
      {{"chat.batch=1", count(1)}, {"chat.batch=8", count(8)}},
      {{"tall.vertical=tsv", Value::name("tsv")},
       {"tall.vertical=hybrid_bond", Value::name("hybrid_bond")}},
      {{"pod.board.link=450 GB/s", Value::number(450e9, Dim::bandwidth(), false)},
       {"pod.board.link=900 GB/s", Value::number(900e9, Dim::bandwidth(), false)}}};
  unsigned points = 1u << axes.size();
  for (unsigned step = 0; step < points + 8; ++step) {
    unsigned point = (step * 37) % points; // jumps across the space
    FrontendOptions o;
    for (unsigned a = 0; a < axes.size(); ++a) {
      const Choice &c = axes[a][(point >> a) & 1];
      inst->set(a, c.value);
      o.settings.push_back(c.set);
    }
    std::string why, freshErrors, fresh, mine;
    bool ok = inst->commit(why);
    llvm::raw_string_ostream errs(freshErrors);
    Compilation c(o, errs);
    bool freshOk = c.run(temp);
    ASSERT_EQ(ok, freshOk) << "point " << point << ": " << why << " / "
                           << freshErrors;
    if (!ok)
      continue;
    llvm::raw_string_ostream a(mine), b(fresh);
    printIR(inst->module(), a);
    printIR(*c.module(), b);
    ASSERT_EQ(a.str(), b.str()) << "point " << point;
  }
}

/// One Instantiator per thread, created and used concurrently.
TEST_F(InstantiatorTest, OnePerThread) {
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      std::string error, why;
      auto inst = Instantiator::create(
          FrontendOptions(), kExamples + "sweep_dse.ds", "dse", error);
      if (!inst)
        return;
      for (int i = 0; i < 200; ++i) {
        int layers = 4 * (1 + (i + t) % 4);
        inst->set(0, count(layers));
        inst->set(1, count(4));
        inst->set(5, count(1 + i % 7));
        good[t] += inst->commit(why) &&
                   inst->design().system->chip->memory->layers == layers &&
                   inst->design().workload->batch == 1 + i % 7;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(good, std::vector<int>(4, 200));
}

TEST_F(InstantiatorTest, CreateReportsMissingSweep) {
  std::string error;
  auto inst = Instantiator::create(FrontendOptions(),
                                   kExamples + "sweep_dse.ds", "nosuch", error);
  EXPECT_FALSE(inst);
  EXPECT_NE(error.find("nosuch"), std::string::npos) << error;
}
} // namespace
