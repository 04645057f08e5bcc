//===- IRGen.cpp - Checked declarations to IR -----------------------------===//
//
// Declarations are emitted depth-first over their references, so every
// pointer in the IR points at something already built, and the printed IR
// reads from the memory up to the design.
//
//===----------------------------------------------------------------------===//
#include "frontend/IRGen.h"

#include <atomic>

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

using namespace ds;

namespace {
class IRGen {
public:
  IRGen(Sema &sema) : sema(sema), module(std::make_unique<Module>()) {
    static std::atomic<uint64_t> modules{0};
    generation = ++modules;
  }

  std::unique_ptr<Module> run() {
    for (DeclInfo *d : sema.decls())
      if (d->inMainFile)
        visit(d);
    return std::move(module);
  }

private:
  uint64_t generation = 0; ///< this module's number in the process

  void visit(DeclInfo *d) {
    if (!d || !seen.insert(d).second)
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

  template <typename T> T &start(std::deque<T> &store, DeclInfo &d) {
    store.emplace_back();
    T &ir = store.back();
    ir.name = d.name;
    ir.loc = d.nameRange.Start;
    ir.generation = generation;
    for (const auto &k : d.defaulted)
      ir.defaulted.insert(k.getKey());
    return ir;
  }

  static Topology toTopology(const Value &v) {
    Topology t;
    t.kind = static_cast<TopologyKind>(enumIndex(EnumId::TopologyKind, v.text));
    for (const Value &a : v.elems)
      t.dims.push_back(static_cast<int64_t>(a.num));
    return t;
  }

  const MemoryIR *findMemory(llvm::StringRef n) { return memories.lookup(n); }
  const ChipIR *findChip(llvm::StringRef n) { return chips.lookup(n); }
  const NetworkIR *findNetwork(llvm::StringRef n) { return networks.lookup(n); }
  const SystemIR *findSystem(llvm::StringRef n) { return systems.lookup(n); }
  const ModelIR *findModel(llvm::StringRef n) { return models.lookup(n); }
  const WorkloadIR *findWorkload(llvm::StringRef n) { return workloads.lookup(n); }
  const ScheduleIR *findSchedule(llvm::StringRef n) { return schedules.lookup(n); }

  void emit(DeclInfo &d) {
    auto get = [&d](llvm::StringRef path) -> const Value * {
      auto it = d.values.find(path);
      return it == d.values.end() ? nullptr : &it->second;
    };
    const DeclIR *out = nullptr;
    switch (d.kind) {
    case DeclKind::Memory: {
      MemoryIR &ir = start(module->memories, d);
#include "ir/IRSetters.inc"
#include "ir/fields/Memory.def"
      memories[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Chip: {
      ChipIR &ir = start(module->chips, d);
#include "ir/IRSetters.inc"
#include "ir/fields/Chip.def"
      chips[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Network: {
      NetworkIR &net = start(module->networks, d);
      {
        NetworkIR &ir = net;
#include "ir/IRSetters.inc"
#include "ir/fields/Network.def"
      }
      for (DeclInfo *l : d.levels) {
        auto get = [l](llvm::StringRef path) -> const Value * {
          auto it = l->values.find(path);
          return it == l->values.end() ? nullptr : &it->second;
        };
        LevelIR ir;
        ir.name = l->name;
        ir.loc = l->nameRange.Start;
        for (const auto &k : l->defaulted)
          ir.defaulted.insert(k.getKey());
#include "ir/IRSetters.inc"
#include "ir/fields/Level.def"
        net.levels.push_back(std::move(ir));
      }
      networks[d.name] = &net;
      out = &net;
      break;
    }
    case DeclKind::System: {
      SystemIR &ir = start(module->systems, d);
#include "ir/IRSetters.inc"
#include "ir/fields/System.def"
      systems[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Model: {
      ModelIR &ir = start(module->models, d);
#include "ir/IRSetters.inc"
#include "ir/fields/Model.def"
      models[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Workload: {
      WorkloadIR &ir = start(module->workloads, d);
#include "ir/IRSetters.inc"
#include "ir/fields/Workload.def"
      workloads[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Schedule: {
      ScheduleIR &ir = start(module->schedules, d);
#include "ir/IRSetters.inc"
#include "ir/fields/Schedule.def"
      schedules[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Design: {
      DesignIR &ir = start(module->designs, d);
#include "ir/IRSetters.inc"
#include "ir/fields/Design.def"
      designs[d.name] = &ir;
      out = &ir;
      break;
    }
    case DeclKind::Sweep: {
      SweepIR &ir = start(module->sweeps, d);
      for (const CheckedSweep &s : sema.sweeps()) {
        if (s.decl != &d)
          continue;
        ir.design = designs.lookup(s.design);
        ir.axes = s.axes;
        ir.constraints = s.constraints;
        ir.objective = s.objective;
        ir.maximize = s.maximize;
        ir.topN = s.topN;
        ir.pareto = s.pareto;
      }
      out = &ir;
      break;
    }
    case DeclKind::Level:
      return;
    }
    module->order.push_back({d.kind, out});
    if (d.inMainFile)
      module->mainFileDecls.push_back(out);
  }

  Sema &sema;
  std::unique_ptr<Module> module;
  llvm::SmallPtrSet<DeclInfo *, 32> seen;
  llvm::StringMap<const MemoryIR *> memories;
  llvm::StringMap<const ChipIR *> chips;
  llvm::StringMap<const NetworkIR *> networks;
  llvm::StringMap<const SystemIR *> systems;
  llvm::StringMap<const ModelIR *> models;
  llvm::StringMap<const WorkloadIR *> workloads;
  llvm::StringMap<const ScheduleIR *> schedules;
  llvm::StringMap<const DesignIR *> designs;
};
} // namespace

std::unique_ptr<Module> ds::generateIR(Sema &sema) {
  return IRGen(sema).run();
}
