//===- IR.cpp - The typed, SI-valued design IR ----------------------------===//
#include "ir/IR.h"
#include "ir/Checked.h"

using namespace ds;

int64_t Topology::size() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n = saturatingMul(n, d);
  return n;
}

std::string Topology::str() const {
  std::string s = spelling(EnumId::TopologyKind, kind).str() + "(";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + ")";
}

int64_t NetworkIR::devices() const {
  int64_t n = 1;
  for (const LevelIR &l : levels)
    n = saturatingMul(n, l.topology.size());
  return n;
}

const DesignIR *Module::findDesign(llvm::StringRef name) const {
  for (const DesignIR &d : designs)
    if (d.name == name)
      return &d;
  return nullptr;
}

const SweepIR *Module::findSweep(llvm::StringRef name) const {
  for (const SweepIR &s : sweeps)
    if (s.name == name)
      return &s;
  return nullptr;
}

std::string Expr::str() const {
  switch (kind) {
  case Const:
    return constant.str();
  case Field:
  case Metric:
    return name;
  case Axis:
    return "$" + name;
  case Unary:
    return name + operands[0]->str();
  case Binary:
    return "(" + operands[0]->str() + " " + name + " " + operands[1]->str() +
           ")";
  case Range:
    return operands[0]->str() + " .. " + operands[1]->str();
  case Call:
  case List: {
    std::string s = kind == Call ? name + "(" : "{";
    for (size_t i = 0; i < operands.size(); ++i)
      s += (i ? ", " : "") + operands[i]->str();
    return s + (kind == Call ? ")" : "}");
  }
  }
  return "";
}
