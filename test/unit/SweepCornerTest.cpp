//===- SweepCornerTest.cpp - Corner bounds cut, and lose no point ---------===//
//
// test/Sweep/Inputs/corner_space.ds as one task (the whole space), so that
// the descent meets the monotone hardware levels itself and bounds them by
// their corners (passes/SweepCorner.cpp); the command line splits small
// spaces below the hardware and never gets there. The pruned search must
// run corner searches, cut most points, and keep exactly the exhaustive
// top N.
//
//===----------------------------------------------------------------------===//
#include "passes/SweepSearch.h"
#include "passes/SweepWorker.h"

#include <gtest/gtest.h>

using namespace ds;

namespace {
struct Outcome {
  std::vector<search::Point> top;
  SweepStats stats;
  unsigned cornerLevel = 0;
};

Outcome searchWhole(const std::string &sweep, bool exhaustive) {
  std::string path =
      std::string(DEEPSTACK_SOURCE_DIR) + "/test/Sweep/Inputs/corner_space.ds";
  SweepSearch search(FrontendOptions(), path, sweep);
  std::string error;
  Outcome out;
  EXPECT_TRUE(search.prepare(error)) << error;
  EXPECT_TRUE(search.planTasks(1, error)) << error;
  auto worker = search.makeWorker(error);
  EXPECT_TRUE(worker) << error;
  if (!worker)
    return out;
  out.cornerLevel = worker->cornerLevel();
  search::ResultSet results = search.emptyResults();
  SharedIncumbent shared;
  for (size_t t = 0; t < search.tasks().size(); ++t)
    search.runTask(*worker, t, results, out.stats, shared, exhaustive);
  out.top = results.top();
  return out;
}

/// \p cornerLevel: the first level a corner bounds (search order);
/// \p searches: whether corner searches must run (else they may).
void expectSameTop(const std::string &sweep, unsigned cornerLevel,
                   bool searches = true) {
  Outcome pruned = searchWhole(sweep, false), all = searchWhole(sweep, true);
  EXPECT_EQ(pruned.cornerLevel, cornerLevel);
  if (searches) {
    EXPECT_GT(pruned.stats.corners, 0u);
  }
  if (searches) {
    EXPECT_LT(pruned.stats.evaluated * 5, all.stats.evaluated);
  }
  EXPECT_EQ(pruned.stats.boundViolations, 0u);
  EXPECT_EQ(all.stats.boundViolations, 0u);
  ASSERT_EQ(pruned.top.size(), all.top.size());
  ASSERT_FALSE(all.top.empty());
  for (size_t i = 0; i < all.top.size(); ++i) {
    EXPECT_EQ(pruned.top[i].path, all.top[i].path) << "rank " << i + 1;
    EXPECT_EQ(pruned.top[i].objective, all.top[i].objective);
  }
}
} // namespace

// layers, connected_layers, network | sram, cores, clock, board, rack.
TEST(SweepCorner, CornersCutAndKeepTheExhaustiveTop) {
  expectSameTop("corners", 3);
}

// layers, connected_layers | sram, cores, clock, board, rack.
TEST(SweepCorner, CoreRangesAndAMinimizedObjective) {
  expectSameTop("core_ranges", 2);
}

// The cores of a chip with fixed peak rates are not monotone: corners
// bound only the clock and the links below them (layers, cores | clock,
// board), and the top is still the exhaustive one.
TEST(SweepCorner, NoCornerOverCoresWhosePeaksAreFixed) {
  expectSameTop("fixed_cores", 2);
}

// SRAM per core that falls as the cores grow (a fixed budget split over
// them): the cores stay a corner level (more SRAM is better, statically),
// but a corner above the fewest cores is not the best SRAM of the region
// it would dominate, so only nodes at 96 cores are bounded by corners, and
// the top is the exhaustive one.
TEST(SweepCorner, NoCornerWhereAFollowerIsWorseAtTheCorner) {
  expectSameTop("split_cores", 1, /*searches=*/false);
}
