//===- SemaTest.cpp - Name resolution, extends, defaults, IR --------------===//
#include "frontend/Driver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace ds;

namespace {
/// Writes \p text to a temporary .ds file and compiles it.
struct Compiled {
  explicit Compiled(llvm::StringRef text,
                    std::vector<std::string> settings = {}) {
    llvm::SmallString<128> path;
    int fd;
    llvm::sys::fs::createTemporaryFile("sema", "ds", fd, path);
    {
      llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
      out << text;
    }
    FrontendOptions o;
    o.settings = std::move(settings);
    comp = std::make_unique<Compilation>(o, errs);
    ok = comp->run(path);
    llvm::sys::fs::remove(path);
  }
  std::string errorsText;
  llvm::raw_string_ostream errs{errorsText};
  std::unique_ptr<Compilation> comp;
  bool ok = false;
};

const char *kStack = R"(
memory m {
  layers = 8;
  layer_capacity = 32 GiB / layers;
  channels_per_layer = 8;
  data_rate = 4 GT/s;
  timing { tRCD = 15 ns; }
}
memory m2 : m {
  connected_layers = 2;
  timing { tRP = 20 ns; }
}
)";
} // namespace

TEST(Sema, DefaultsFollowOtherFields) {
  Compiled c(kStack);
  ASSERT_TRUE(c.ok) << c.errorsText;
  const MemoryIR &m = c.comp->module()->memories[0];
  // connected_layers defaults to layers = 8.
  EXPECT_EQ(m.connectedLayers, 8);
  // layer_capacity = 32 GiB / 8 = 4 GiB.
  EXPECT_DOUBLE_EQ(m.layerCapacity, 4.0 * 1073741824.0);
  // vertical.bandwidth_per_layer = 8 channels * 8 B * 4e9 /s = 256e9 B/s.
  EXPECT_DOUBLE_EQ(m.verticalBandwidth, 256e9);
  // TSV by default: 0.4 pJ/bit = 3.2e-12 J/B.
  EXPECT_DOUBLE_EQ(m.verticalEnergy, 3.2e-12);
  EXPECT_TRUE(m.defaulted.count("connected_layers"));
  EXPECT_FALSE(m.defaulted.count("layers"));
}

TEST(Sema, ExtendsMergesNestedOverrides) {
  Compiled c(kStack);
  ASSERT_TRUE(c.ok) << c.errorsText;
  ASSERT_EQ(c.comp->module()->memories.size(), 2u);
  const MemoryIR &d = c.comp->module()->memories[1];
  EXPECT_EQ(d.name, "m2");
  EXPECT_EQ(d.connectedLayers, 2);
  // tRCD inherited from m, tRP overridden.
  EXPECT_DOUBLE_EQ(d.tRCD, 15e-9);
  EXPECT_DOUBLE_EQ(d.tRP, 20e-9);
}

TEST(Sema, SettingOverridesBaseAndDerived) {
  Compiled c(kStack, {"m.layers=4"});
  ASSERT_TRUE(c.ok) << c.errorsText;
  const MemoryIR &m = c.comp->module()->memories[0];
  EXPECT_EQ(m.layers, 4);
  // layer_capacity = 32 GiB / 4 = 8 GiB, and m2 inherits the setting.
  EXPECT_DOUBLE_EQ(m.layerCapacity, 8.0 * 1073741824.0);
  EXPECT_EQ(c.comp->module()->memories[1].layers, 4);
}

TEST(Sema, ConstraintNamesTheValues) {
  Compiled c(std::string(kStack) + "memory bad : m { connected_layers = 9; }");
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.errorsText.find("connected_layers must not exceed layers in "
                              "memory 'bad'"),
            std::string::npos)
      << c.errorsText;
  EXPECT_NE(c.errorsText.find("connected_layers = 9, layers = 8"),
            std::string::npos);
}

TEST(Sema, CycleIsAnErrorNotAHang) {
  Compiled c("memory m { layers = connected_layers; connected_layers = layers;"
             " layer_capacity = 1 GiB; channels_per_layer = 1; "
             "data_rate = 1 GHz; }");
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.errorsText.find("depends on itself"), std::string::npos);
}

TEST(Sema, NetworkDevicesAndLevels) {
  Compiled c("network n { level board = switch(8) { link = 900 GB/s; "
             "latency = 0.5 us; } level rack = torus(4, 4) { link = 100 GB/s; "
             "latency = 2 us; } }\n"
             "network n2 : n { level rack { link = 200 GB/s; } }");
  ASSERT_TRUE(c.ok) << c.errorsText;
  const NetworkIR &n = c.comp->module()->networks[0];
  // 8 * (4 * 4) = 128 devices.
  EXPECT_EQ(n.devices(), 128);
  ASSERT_EQ(n.levels.size(), 2u);
  EXPECT_EQ(n.levels[1].topology.kind, TopologyKind::Torus);
  // overhead defaults to 0 (packet-level data show no per-message cost);
  // the ACK to 64 B per packet.
  EXPECT_DOUBLE_EQ(n.levels[1].overhead, 0.0);
  EXPECT_DOUBLE_EQ(n.ack, 64.0);
  const NetworkIR &n2 = c.comp->module()->networks[1];
  EXPECT_DOUBLE_EQ(n2.levels[1].link, 200e9);
  EXPECT_DOUBLE_EQ(n2.levels[0].link, 900e9);
}
