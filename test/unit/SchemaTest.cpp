//===- SchemaTest.cpp - Field tables are coherent -------------------------===//
//
// The schema drives Sema, the IR and the docs; these tests keep its defaults
// and constraints parseable and its paths well-formed.
//
//===----------------------------------------------------------------------===//
#include "frontend/Parser.h"
#include "ir/Schema.h"

#include "llvm/Support/MemoryBuffer.h"
#include <gtest/gtest.h>

using namespace ds;

namespace {
bool parses(llvm::StringRef text) {
  llvm::SourceMgr sm;
  std::string errors;
  llvm::raw_string_ostream os(errors);
  DiagEngine diags(sm, os);
  unsigned id = sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "schema"), {});
  return parseExpression(id, diags) != nullptr;
}
} // namespace

TEST(Schema, EveryDefaultAndCheckParses) {
  for (const KindSchema &k : allKindSchemas()) {
    for (const FieldSchema &f : k.fields) {
      if (!f.required()) {
        EXPECT_TRUE(parses(f.defaultText))
            << k.keyword.str() << "." << f.path.str();
      }
    }
    for (const CheckSchema &c : k.checks)
      EXPECT_TRUE(parses(c.expr)) << c.expr.str();
  }
}

TEST(Schema, FieldsAreUniqueAndBlocksDeclared) {
  for (const KindSchema &k : allKindSchemas()) {
    for (size_t i = 0; i < k.fields.size(); ++i) {
      llvm::StringRef p = k.fields[i].path;
      for (size_t j = i + 1; j < k.fields.size(); ++j)
        EXPECT_NE(p, k.fields[j].path) << k.keyword.str();
      // A dotted field lives in a declared block.
      auto dot = p.rfind('.');
      if (dot != llvm::StringRef::npos) {
        EXPECT_TRUE(k.isBlock(p.take_front(dot))) << p.str();
      }
    }
  }
}

TEST(Schema, KindsAndMetrics) {
  EXPECT_EQ(kindFromKeyword("memory"), DeclKind::Memory);
  EXPECT_EQ(kindFromKeyword("sweep"), DeclKind::Sweep);
  // `level` only exists inside a network.
  EXPECT_FALSE(kindFromKeyword("level"));
  ASSERT_TRUE(findMetric("stps"));
  EXPECT_EQ(findMetric("memory.used")->dim, Dim::bytes());
  const FieldSchema *link =
      kindSchema(DeclKind::Level).findField("link");
  ASSERT_TRUE(link);
  EXPECT_EQ(describeFieldType(*link), "a bandwidth (e.g. GB/s)");
}
