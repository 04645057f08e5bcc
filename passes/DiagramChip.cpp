//===- DiagramChip.cpp - placeholder until the view lands -----------------===//
#include "passes/Diagram.h"

using namespace ds;

bool ds::buildChipView(const DiagramInput &, Diagram &, std::string &error) {
  error = "the chip view is not built yet";
  return false;
}
