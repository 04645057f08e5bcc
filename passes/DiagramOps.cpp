//===- DiagramOps.cpp - placeholder until the view lands -----------------===//
#include "passes/Diagram.h"

using namespace ds;

bool ds::buildOpsView(const DiagramInput &, Diagram &, std::string &error) {
  error = "the ops view is not built yet";
  return false;
}
