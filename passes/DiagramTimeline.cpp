//===- DiagramTimeline.cpp - placeholder until the view lands -----------------===//
#include "passes/Diagram.h"

using namespace ds;

bool ds::buildTimelineView(const DiagramInput &, Diagram &,
                           std::string &error) {
  error = "the timeline view is not built yet";
  return false;
}

bool ds::timelineTrace(const DiagramInput &, std::string &, std::string &error) {
  error = "the timeline trace is not built yet";
  return false;
}
