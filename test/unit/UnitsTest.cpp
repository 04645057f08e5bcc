//===- UnitsTest.cpp - Units and dimensions -------------------------------===//
#include "frontend/Units.h"

#include <gtest/gtest.h>

using namespace ds;

TEST(Units, DecimalAndBinaryPrefixesAreDistinct) {
  auto gb = lookupUnit("GB");
  auto gib = lookupUnit("GiB");
  ASSERT_TRUE(gb && gib);
  EXPECT_EQ(gb->scale, 1e9);
  // 2^30 = 1073741824.
  EXPECT_EQ(gib->scale, 1073741824.0);
  EXPECT_EQ(gb->dim, Dim::bytes());
}

TEST(Units, CompoundUnitsDivide) {
  // 1 GB/s = 1e9 B / 1 s.
  auto bw = lookupUnit("GB/s");
  ASSERT_TRUE(bw);
  EXPECT_EQ(bw->dim, Dim::bandwidth());
  EXPECT_DOUBLE_EQ(bw->scale, 1e9);
  // 1 pJ/bit = 1e-12 J / 0.125 B = 8e-12 J/B.
  auto e = lookupUnit("pJ/bit");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->dim, Dim::energyPerBit());
  EXPECT_DOUBLE_EQ(e->scale, 8e-12);
  // 1 TFLOP/s = 1e12 FLOP/s.
  auto f = lookupUnit("TFLOP/s");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->dim, Dim::flopRate());
  EXPECT_DOUBLE_EQ(f->scale, 1e12);
  // GT/s is a frequency: 1e9 transfers / s.
  auto gt = lookupUnit("GT/s");
  ASSERT_TRUE(gt);
  EXPECT_EQ(gt->dim, Dim::frequency());
  EXPECT_DOUBLE_EQ(gt->scale, 1e9);
}

TEST(Units, CelsiusIsOffsetOnlyWhenAlone) {
  auto c = lookupUnit("C");
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->offset, 273.15);
  // C/W is a temperature difference per watt: no offset.
  auto r = lookupUnit("C/W");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->offset, 0.0);
  EXPECT_EQ(r->dim, Dim::thermalResistance());
}

TEST(Units, UnknownUnitsAndSuggestions) {
  EXPECT_FALSE(lookupUnit("Gib"));
  EXPECT_FALSE(lookupUnit("GB/parsec"));
  EXPECT_EQ(suggestUnit("Gib"), "GiB");
  EXPECT_EQ(suggestUnit("gb/s"), "GB/s");
  EXPECT_EQ(suggestUnit("zzzzzz"), "");
}

TEST(Units, DimensionArithmetic) {
  // bandwidth * time = bytes; bytes / time = bandwidth.
  EXPECT_EQ(Dim::bandwidth() * Dim::time(), Dim::bytes());
  EXPECT_EQ(Dim::bytes() / Dim::time(), Dim::bandwidth());
  EXPECT_EQ(Dim::energy() / Dim::time(), Dim::power());
  EXPECT_TRUE((Dim::bytes() / Dim::bytes()).isNone());
}

TEST(Units, HumanFormatting) {
  // 4 * 2^30 B is an exact binary multiple: GiB.
  EXPECT_EQ(formatQuantity(4.0 * 1073741824.0, Dim::bytes()), "4 GiB");
  // 180e9 B is not a multiple of 1024: decimal.
  EXPECT_EQ(formatQuantity(180e9, Dim::bytes()), "180 GB");
  EXPECT_EQ(formatQuantity(1.2e12, Dim::bandwidth()), "1.2 TB/s");
  EXPECT_EQ(formatQuantity(14e-9, Dim::time()), "14 ns");
  EXPECT_EQ(formatQuantity(0.5e-6, Dim::time()), "500 ns");
  // 368.15 K = 95 C.
  EXPECT_EQ(formatQuantity(368.15, Dim::temperature()), "95 C");
  // 0.05 pJ/bit = 0.4e-12 J/B.
  EXPECT_EQ(formatQuantity(0.4e-12, Dim::energyPerBit()), "0.05 pJ/bit");
  EXPECT_EQ(formatQuantity(2.25e15, Dim::flopRate()), "2.25 PFLOP/s");
  EXPECT_EQ(formatQuantity(814e-6, Dim::area()), "814 mm2");
}

TEST(Units, DescribeDimensions) {
  EXPECT_EQ(describeDim(Dim::bandwidth()), "a bandwidth");
  EXPECT_EQ(exampleUnit(Dim::bandwidth()), "GB/s");
  EXPECT_EQ(describeDim(Dim::bytes()), "a size");
  // An unnamed combination spells its base units.
  EXPECT_EQ(describeDim(Dim::bytes() * Dim::bytes()), "a quantity in B^2");
}
