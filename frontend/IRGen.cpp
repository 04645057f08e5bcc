//===- IRGen.cpp - Checked declarations to IR -----------------------------===//
//
// Declarations are emitted depth-first over their references, so every
// pointer in the IR points at something already built, and the printed IR
// reads from the memory up to the design. Field writing is separate from
// emission so a sweep point can rewrite a declaration where it stands.
//
//===----------------------------------------------------------------------===//
#include "frontend/IRGen.h"

#include <atomic>

using namespace ds;

IRGen::IRGen(Sema &sema, Module &module) : sema(sema), module(module) {
  static std::atomic<uint64_t> modules{0};
  generation = ++modules;
  for (const auto &entry : module.order) {
    auto *ir = const_cast<DeclIR *>(entry.second);
    DeclInfo *d = sema.findDecl(ir->name);
    if (!d)
      continue;
    byName[ir->name] = ir;
    byDecl[d] = ir;
    if (entry.first != DeclKind::Network)
      continue;
    auto *net = static_cast<NetworkIR *>(ir);
    for (size_t i = 0; i < d->levels.size() && i < net->levels.size(); ++i)
      byDecl[d->levels[i]] = &net->levels[i];
  }
}

void IRGen::emitMainFile() {
  for (DeclInfo *d : sema.decls())
    if (d->inMainFile)
      visit(d);
}

DeclIR *IRGen::find(const DeclInfo &d) { return byDecl.lookup(&d); }

void IRGen::visit(DeclInfo *d) {
  // byDecl doubles as the visited set: null until emitted.
  if (!d || !byDecl.insert({d, nullptr}).second)
    return;
  if (d->kind == DeclKind::Sweep) {
    for (const CheckedSweep &s : sema.sweeps())
      if (s.decl == d)
        visit(sema.findDecl(s.design));
  } else {
    for (DeclInfo *target : sema.referencedDecls(*d))
      visit(target);
  }
  emit(*d);
}

template <typename T> T &IRGen::start(std::deque<T> &store, DeclInfo &d) {
  store.emplace_back();
  T &ir = store.back();
  ir.name = d.name;
  ir.loc = d.nameRange.Start;
  ir.generation = generation;
  for (const auto &k : d.defaulted)
    ir.defaulted.insert(k.getKey());
  return ir;
}

Topology IRGen::toTopology(const Value &v) {
  Topology t;
  t.kind = static_cast<TopologyKind>(enumIndex(EnumId::TopologyKind, v.text));
  for (const Value &a : v.elems)
    t.dims.push_back(static_cast<int64_t>(a.num));
  return t;
}

void IRGen::fillLevel(DeclInfo &l, LevelIR &ir) {
  auto get = [&l](llvm::StringRef path) -> const Value * {
    auto it = l.values.find(path);
    return it == l.values.end() ? nullptr : &it->second;
  };
#include "ir/IRSetters.inc"
#include "ir/fields/Level.def"
}

/// Writes \p d's fields (not a network's levels) into \p out, which is the
/// IR struct of \p d's kind.
void IRGen::fill(DeclInfo &d, DeclIR &out) {
  auto get = [&d](llvm::StringRef path) -> const Value * {
    auto it = d.values.find(path);
    return it == d.values.end() ? nullptr : &it->second;
  };
  switch (d.kind) {
  case DeclKind::Memory: {
    auto &ir = static_cast<MemoryIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Memory.def"
    break;
  }
  case DeclKind::Chip: {
    auto &ir = static_cast<ChipIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Chip.def"
    break;
  }
  case DeclKind::Network: {
    auto &ir = static_cast<NetworkIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Network.def"
    break;
  }
  case DeclKind::System: {
    auto &ir = static_cast<SystemIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/System.def"
    break;
  }
  case DeclKind::Model: {
    auto &ir = static_cast<ModelIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Model.def"
    break;
  }
  case DeclKind::Workload: {
    auto &ir = static_cast<WorkloadIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Workload.def"
    break;
  }
  case DeclKind::Schedule: {
    auto &ir = static_cast<ScheduleIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Schedule.def"
    break;
  }
  case DeclKind::Design: {
    auto &ir = static_cast<DesignIR &>(out);
#include "ir/IRSetters.inc"
#include "ir/fields/Design.def"
    break;
  }
  case DeclKind::Level:
    fillLevel(d, static_cast<LevelIR &>(out));
    break;
  case DeclKind::Sweep:
    break;
  }
}

void IRGen::emit(DeclInfo &d) {
  DeclIR *out = nullptr;
  switch (d.kind) {
  case DeclKind::Memory:
    out = &start(module.memories, d);
    break;
  case DeclKind::Chip:
    out = &start(module.chips, d);
    break;
  case DeclKind::Network:
    out = &start(module.networks, d);
    break;
  case DeclKind::System:
    out = &start(module.systems, d);
    break;
  case DeclKind::Model:
    out = &start(module.models, d);
    break;
  case DeclKind::Workload:
    out = &start(module.workloads, d);
    break;
  case DeclKind::Schedule:
    out = &start(module.schedules, d);
    break;
  case DeclKind::Design:
    out = &start(module.designs, d);
    break;
  case DeclKind::Sweep: {
    SweepIR &ir = start(module.sweeps, d);
    for (const CheckedSweep &s : sema.sweeps()) {
      if (s.decl != &d)
        continue;
      ir.design = static_cast<const DesignIR *>(byName.lookup(s.design));
      ir.axes = s.axes;
      ir.constraints = s.constraints;
      ir.objective = s.objective;
      ir.maximize = s.maximize;
      ir.topN = s.topN;
      ir.pareto = s.pareto;
      ir.compareAxis = s.compareAxis;
      ir.compareMetrics = s.compareMetrics;
    }
    out = &ir;
    break;
  }
  case DeclKind::Level:
    return;
  }
  fill(d, *out);
  if (d.kind == DeclKind::Network) {
    auto &net = static_cast<NetworkIR &>(*out);
    for (DeclInfo *l : d.levels) {
      LevelIR ir;
      ir.name = l->name;
      ir.loc = l->nameRange.Start;
      ir.generation = generation;
      for (const auto &k : l->defaulted)
        ir.defaulted.insert(k.getKey());
      fillLevel(*l, ir);
      net.levels.push_back(std::move(ir));
    }
    for (size_t i = 0; i < d.levels.size(); ++i)
      byDecl[d.levels[i]] = &net.levels[i];
  }
  byName[d.name] = out;
  byDecl[&d] = out;
  module.order.push_back({d.kind, out});
  if (d.inMainFile)
    module.mainFileDecls.push_back(out);
}

bool IRGen::rewrite(DeclInfo &d) {
  DeclIR *out = find(d);
  if (!out || d.kind == DeclKind::Sweep)
    return false;
  fill(d, *out);
  if (d.kind == DeclKind::Network) {
    auto &net = static_cast<NetworkIR &>(*out);
    for (size_t i = 0; i < d.levels.size() && i < net.levels.size(); ++i)
      fillLevel(*d.levels[i], net.levels[i]);
  }
  return true;
}

std::unique_ptr<Module> ds::generateIR(Sema &sema) {
  auto module = std::make_unique<Module>();
  IRGen(sema, *module).emitMainFile();
  return module;
}
