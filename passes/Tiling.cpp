//===- Tiling.cpp - Every compute operator on the chip --------------------===//
#include "passes/Tiling.h"

#include "runtime/dram/StackModel.h"
#include "runtime/energy/Energy.h"
#include "runtime/thermal/Thermal.h"

#include "llvm/ADT/Hashing.h"
#include <algorithm>
#include <cstring>
#include <unordered_map>

using namespace ds;

namespace {
/// Everything a compute operator's cost depends on.
struct OpKey {
  const ChipIR *chip;
  uint64_t generation; // a freed chip's address may come back
  double temperature;
  OpKind kind;
  int64_t v[9];
  double bytes, flops;
  bool operator==(const OpKey &o) const {
    return std::memcmp(this, &o, sizeof(OpKey)) == 0;
  }
};
struct OpKeyHash {
  size_t operator()(const OpKey &k) const {
    return llvm::hash_value(
        llvm::StringRef(reinterpret_cast<const char *>(&k), sizeof(k)));
  }
};

OpKey keyOf(const ChipContext &c, const Op &op) {
  OpKey k;
  std::memset(&k, 0, sizeof k); // padding takes part in the comparison
  k.chip = c.chip;
  k.generation = c.chip->generation;
  k.temperature = c.dramTemperature;
  k.kind = op.kind;
  if (op.kind == OpKind::Gemm) {
    const compute::GemmShape &g = op.gemm;
    int64_t v[] = {g.m, g.n, g.k, g.batch, int64_t(g.a), int64_t(g.b),
                   int64_t(g.out), g.sharedB, 0};
    std::memcpy(k.v, v, sizeof v);
  } else if (op.kind == OpKind::Attention) {
    const compute::AttentionShape &a = op.attn;
    int64_t v[] = {a.batch,  a.headsQ, a.headsKV,      a.headDim,   a.queries,
                   a.context, a.causal, int64_t(a.act), int64_t(a.kv)};
    std::memcpy(k.v, v, sizeof v);
  } else {
    k.bytes = op.vectorBytes;
    k.flops = op.vectorFlops;
  }
  return k;
}

/// Operators repeat across the points of a sweep and the KV lengths of a
/// decode; a chip's evaluation of a shape is computed once per thread.
std::unordered_map<OpKey, TiledOp, OpKeyHash> &cache() {
  thread_local std::unordered_map<OpKey, TiledOp, OpKeyHash> c;
  return c;
}
} // namespace

void ds::clearOperatorCache() { cache().clear(); }

ChipContext ds::chipContext(const ChipIR &chip, double dramTemperature) {
  ChipContext c;
  c.chip = &chip;
  c.dramTemperature = dramTemperature;
  dram::Pattern stream;
  stream.kind = dram::PatternKind::Sequential;
  stream.requestBytes = 4 * chip.memory->sector;
  stream.outstanding = 1e9;
  dram::StackResult r = dram::evaluateStack(*chip.memory, stream, dramTemperature);
  c.dramEnergyPerByte = r.energyPerByte;
  c.dramCapacity = r.capacity;
  c.dramBackground = r.backgroundPower;
  return c;
}

double ds::loadedDramTemperature(const ChipIR &chip) {
  thermal::PowerInput full;
  full.logicStatic = chip.staticPower;
  full.logicDynamic = std::max(0.0, chip.tdp - chip.staticPower);
  thermal::ThermalResult hot = thermal::evaluate(chip, full);
  return hot.layers.empty()
             ? chip.ambient
             : *std::max_element(hot.layers.begin(), hot.layers.end());
}

TiledOp ds::tileOp(const ChipContext &c, const Op &op) {
  if (op.kind == OpKind::Collective)
    return TiledOp();
  OpKey key = keyOf(c, op);
  auto it = cache().find(key);
  if (it != cache().end())
    return it->second;
  TiledOp t = tileUncached(c, op);
  constexpr size_t kMaxEntries = 1 << 20; // bound memory in long sweeps
  if (cache().size() >= kMaxEntries)
    cache().clear();
  cache().emplace(key, t);
  return t;
}

TiledOp ds::tileUncached(const ChipContext &c, const Op &op) {
  const ChipIR &chip = *c.chip;
  auto dramFn = [&](const dram::Pattern &p) {
    return dram::evaluateStack(*chip.memory, p, c.dramTemperature).bandwidth;
  };
  TiledOp t;
  DType math = DType::FP32;
  switch (op.kind) {
  case OpKind::Gemm:
    t.cost = compute::gemm(chip, op.gemm, dramFn);
    math = op.gemm.a;
    break;
  case OpKind::Attention:
    t.cost = compute::attention(chip, op.attn, dramFn);
    math = op.attn.act;
    break;
  case OpKind::Vector:
    t.cost = compute::vectorOp(chip, op.vectorBytes, op.vectorFlops, dramFn);
    break;
  case OpKind::Collective:
    return t;
  }
  energy::OpEnergy e = energy::opEnergy(chip, t.cost, math, c.dramEnergyPerByte);
  t.energy = e.total();
  t.dramEnergy = e.dram;
  return t;
}

std::vector<TiledOp> ds::tile(const ChipContext &c, const OpGraph &g) {
  std::vector<TiledOp> out;
  out.reserve(g.ops.size());
  for (const Op &op : g.ops)
    out.push_back(tileOp(c, op));
  return out;
}
