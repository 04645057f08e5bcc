//===- Schema.cpp - Field tables of every declaration kind ----------------===//
#include "ir/Schema.h"

#include <string>

using namespace ds;

namespace {
const FieldSchema kMemoryFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Memory.def"
};
const FieldSchema kChipFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Chip.def"
};
const FieldSchema kNetworkFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Network.def"
};
const FieldSchema kLevelFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Level.def"
};
const FieldSchema kSystemFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/System.def"
};
const FieldSchema kModelFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Model.def"
};
const FieldSchema kWorkloadFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Workload.def"
};
const FieldSchema kScheduleFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Schedule.def"
};
const FieldSchema kDesignFields[] = {
#include "ir/SchemaFields.inc"
#include "ir/fields/Design.def"
};

// Index 0 of each block and check table is a sentinel (arrays cannot be
// empty); views drop it.
const BlockSchema kMemoryBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Memory.def"
};
const BlockSchema kChipBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Chip.def"
};
const BlockSchema kNetworkBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Network.def"
};
const BlockSchema kLevelBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Level.def"
};
const BlockSchema kSystemBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/System.def"
};
const BlockSchema kModelBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Model.def"
};
const BlockSchema kWorkloadBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Workload.def"
};
const BlockSchema kScheduleBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Schedule.def"
};
const BlockSchema kDesignBlocks[] = {{"", ""},
#define BLOCK(Path, Doc) {Path, Doc},
#include "ir/fields/Design.def"
};
const CheckSchema kMemoryChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Memory.def"
};
const CheckSchema kChipChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Chip.def"
};
const CheckSchema kNetworkChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Network.def"
};
const CheckSchema kLevelChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Level.def"
};
const CheckSchema kSystemChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/System.def"
};
const CheckSchema kModelChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Model.def"
};
const CheckSchema kWorkloadChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Workload.def"
};
const CheckSchema kScheduleChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Schedule.def"
};
const CheckSchema kDesignChecks[] = {{"", ""},
#define CHECK(Expr, Message) {Expr, Message},
#include "ir/fields/Design.def"
};

const char *const kKindDocs[] = {
#define KIND(Id, Keyword, Doc) Doc,
#include "ir/Kinds.def"
};

#define SCHEMA(Kind, Keyword)                                                  \
  {DeclKind::Kind,                                                             \
   Keyword,                                                                    \
   kKindDocs[static_cast<unsigned>(DeclKind::Kind)],                           \
   k##Kind##Fields,                                                            \
   llvm::makeArrayRef(k##Kind##Blocks).drop_front(),                           \
   llvm::makeArrayRef(k##Kind##Checks).drop_front()},
const KindSchema kSchemas[] = {
    SCHEMA(Memory, "memory")
    SCHEMA(Chip, "chip")
    SCHEMA(Network, "network")
    SCHEMA(Level, "level")
    SCHEMA(System, "system")
    SCHEMA(Model, "model")
    SCHEMA(Workload, "workload")
    SCHEMA(Schedule, "schedule")
    SCHEMA(Design, "design")
    {DeclKind::Sweep, "sweep", kKindDocs[static_cast<unsigned>(DeclKind::Sweep)],
     {}, {}, {}},
};
#undef SCHEMA

const MetricSchema kMetrics[] = {
#define METRIC(Name, Dimension, Doc) {Name, Dimension, Doc},
#include "ir/Metrics.def"
};
} // namespace

const FieldSchema *KindSchema::findField(llvm::StringRef path) const {
  for (const FieldSchema &f : fields)
    if (f.path == path)
      return &f;
  return nullptr;
}

bool KindSchema::isBlock(llvm::StringRef path) const {
  for (const BlockSchema &b : blocks)
    if (b.path == path)
      return true;
  return false;
}

const KindSchema &ds::kindSchema(DeclKind kind) {
  return kSchemas[static_cast<unsigned>(kind)];
}

llvm::ArrayRef<KindSchema> ds::allKindSchemas() {
  return kSchemas;
}

llvm::Optional<DeclKind> ds::kindFromKeyword(llvm::StringRef keyword) {
  for (const KindSchema &k : kSchemas)
    if (k.keyword == keyword && k.kind != DeclKind::Level)
      return k.kind;
  return llvm::None;
}

llvm::StringRef ds::kindKeyword(DeclKind kind) {
  return kSchemas[static_cast<unsigned>(kind)].keyword;
}

std::string ds::describeFieldType(const FieldSchema &f) {
  switch (f.type) {
  case FieldType::Int:
    return "a whole number";
  case FieldType::Real:
    if (f.dim.isNone())
      return "a plain number";
    return describeDim(f.dim) + " (e.g. " + exampleUnit(f.dim) + ")";
  case FieldType::Enum: {
    std::string s = "one of";
    for (const char *sp : enumInfo(f.enumId).spellings)
      s += std::string(" ") + sp + ",";
    s.pop_back();
    return s;
  }
  case FieldType::Ref:
    return "the name of a " + kindKeyword(f.refKind).str();
  case FieldType::Topo:
    return "a topology such as switch(8) or torus(4, 4)";
  }
  return "";
}

llvm::StringRef ds::describeCheck(Check c) {
  switch (c) {
  case Check::Any:
    return "any value";
  case Check::Pos:
    return "positive";
  case Check::NonNeg:
    return "at least 0";
  case Check::Fraction:
    return "in (0, 1]";
  }
  return "";
}

llvm::ArrayRef<MetricSchema> ds::allMetrics() { return kMetrics; }

const MetricSchema *ds::findMetric(llvm::StringRef name) {
  for (const MetricSchema &m : kMetrics)
    if (m.name == name)
      return &m;
  return nullptr;
}
