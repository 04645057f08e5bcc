//===- IRPrinter.cpp - --emit=ir ------------------------------------------===//
//
// One block per declaration in dependency order, every field in human units,
// "(default)" on fields that took their documented default.
//
//===----------------------------------------------------------------------===//
#include "ir/IR.h"

#include "llvm/Support/raw_ostream.h"

using namespace ds;

namespace {
template <typename F> void fieldsOf(const MemoryIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Memory.def"
}
template <typename F> void fieldsOf(const ChipIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Chip.def"
}
template <typename F> void fieldsOf(const LevelIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Level.def"
}
template <typename F> void fieldsOf(const NetworkIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Network.def"
}
template <typename F> void fieldsOf(const SystemIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/System.def"
}
template <typename F> void fieldsOf(const ModelIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Model.def"
}
template <typename F> void fieldsOf(const WorkloadIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Workload.def"
}
template <typename F> void fieldsOf(const ScheduleIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Schedule.def"
}
template <typename F> void fieldsOf(const DesignIR &ir, F add) {
#include "ir/IRFieldStrings.inc"
#include "ir/fields/Design.def"
}

template <typename T>
void printFields(const T &ir, const DeclIR &decl, unsigned indent,
                 llvm::raw_ostream &os) {
  fieldsOf(ir, [&](llvm::StringRef path, const std::string &text) {
    os.indent(indent) << path << " = " << text;
    if (decl.defaulted.count(path))
      os << " (default)";
    os << "\n";
  });
}

void printSweep(const SweepIR &s, llvm::raw_ostream &os) {
  os << "sweep " << s.name << " over "
     << (s.design ? s.design->name : "<none>") << " {\n";
  for (const SweepAxis &a : s.axes)
    os << "  " << (a.derived ? "derived " : "axis ") << a.decl << "."
       << a.field << (a.derived ? " = " : " in ") << a.values->str() << "\n";
  for (const ExprPtr &c : s.constraints)
    os << "  require " << c->str() << "\n";
  if (s.objective)
    os << "  " << (s.maximize ? "maximize " : "minimize ")
       << s.objective->str() << "\n";
  os << "  report top " << s.topN << "\n";
  if (!s.pareto.empty()) {
    os << "  pareto";
    for (size_t i = 0; i < s.pareto.size(); ++i)
      os << (i ? ", " : " ") << s.pareto[i]->str();
    os << "\n";
  }
  if (s.compareAxis >= 0) {
    const SweepAxis &a = s.axes[size_t(s.compareAxis)];
    os << "  compare " << a.decl << "." << a.field << " on";
    for (size_t i = 0; i < s.compareMetrics.size(); ++i)
      os << (i ? ", " : " ") << s.compareMetrics[i]->str();
    os << "\n";
  }
  os << "}\n";
}
} // namespace

void ds::printIR(const Module &m, llvm::raw_ostream &os) {
  for (const auto &entry : m.order) {
    DeclKind kind = entry.first;
    const DeclIR *d = entry.second;
    if (kind == DeclKind::Sweep) {
      printSweep(*static_cast<const SweepIR *>(d), os);
      continue;
    }
    os << kindKeyword(kind) << " " << d->name << " {\n";
    switch (kind) {
    case DeclKind::Memory:
      printFields(*static_cast<const MemoryIR *>(d), *d, 2, os);
      break;
    case DeclKind::Chip:
      printFields(*static_cast<const ChipIR *>(d), *d, 2, os);
      break;
    case DeclKind::Network: {
      const auto &n = *static_cast<const NetworkIR *>(d);
      printFields(n, *d, 2, os);
      for (const LevelIR &l : n.levels) {
        os << "  level " << l.name << " {\n";
        printFields(l, l, 4, os);
        os << "  }\n";
      }
      os << "  devices = " << n.devices() << "\n";
      break;
    }
    case DeclKind::System:
      printFields(*static_cast<const SystemIR *>(d), *d, 2, os);
      break;
    case DeclKind::Model:
      printFields(*static_cast<const ModelIR *>(d), *d, 2, os);
      break;
    case DeclKind::Workload:
      printFields(*static_cast<const WorkloadIR *>(d), *d, 2, os);
      break;
    case DeclKind::Schedule:
      printFields(*static_cast<const ScheduleIR *>(d), *d, 2, os);
      break;
    case DeclKind::Design:
      printFields(*static_cast<const DesignIR *>(d), *d, 2, os);
      break;
    default:
      break;
    }
    os << "}\n";
  }
}
