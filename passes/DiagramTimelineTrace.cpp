//===- DiagramTimelineTrace.cpp - One decode step as a Chrome trace -------===//
//
// The timeline's layout with every layer repeated, as Chrome trace-event
// JSON for Perfetto or chrome://tracing: a thread a lane, an event a box,
// with what the box costs and why in its arguments.
//
//===----------------------------------------------------------------------===//
#include "passes/DiagramTimeline.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include <fmt/format.h>

using namespace ds;
using namespace ds::timeline;
namespace json = llvm::json;

bool ds::timelineTrace(const DiagramInput &in, std::string &out,
                       std::string &error) {
  if (!usable(in, error))
    return false;
  Timeline tl(in);
  auto us = [](double s) { return s * 1e6; }; // trace times are in µs
  json::Array events;
  for (int tid = -1; tid < kLanes; ++tid) { // process, then lane names
    json::Object o{{"name", tid < 0 ? "process_name" : "thread_name"},
                   {"ph", "M"}, {"pid", tl.stage}};
    if (tid >= 0)
      o["tid"] = tid;
    o["args"] = json::Object{
        {"name", tid >= 0 ? std::string(kLaneName[tid])
                          : in.design->name + ": " + tl.stageName()}};
    events.push_back(std::move(o));
  }
  for (const Event &e : tl.events(true)) {
    const Op *op = e.op >= 0 ? &tl.ops[e.op] : nullptr;
    json::Object args;
    if (e.layer >= 0)
      args["layer"] = e.layer;
    if (!op) {
      args["why"] = fmt::format("TPOT - {} x step", tl.microbatches);
    } else if (op->kind != OpKind::Collective) {
      args["bound"] = compute::boundName(tl.p.tiles[e.op].cost.bound);
      args["count_per_step"] = op->count;
      args["us_per_execution"] = us(tl.p.step.opTime[e.op] / op->count);
    } else {
      args["what"] = op->comm.what;
      args["group"] = parallelDimName(op->comm.dim);
      args["algorithm"] =
          spelling(EnumId::Algorithm, tl.p.comm[e.op].algorithm);
      args["bytes"] = op->comm.bytes;
      args["count_per_step"] = op->count;
      args["exposed_us"] = us(e.exposed);
      if (tl.tiled(e.op))
        args["tiled_with"] = tl.ops[op->overlapsWith].name;
    }
    events.push_back(json::Object{
        {"name", op ? op->name : "pipeline bubble"},
        {"cat", op ? kLaneName[e.lane] : "bubble"}, {"ph", "X"},
        {"ts", us(e.start)}, {"dur", us(e.dur)}, {"pid", tl.stage},
        {"tid", int(e.lane)}, {"args", std::move(args)}});
  }
  json::Object root{
      {"traceEvents", std::move(events)},
      {"displayTimeUnit", "ns"},
      {"otherData",
       json::Object{{"design", in.design->name}, {"stage", tl.stage},
                    {"pp", tl.pp}, {"microbatches", tl.microbatches},
                    {"step_us", us(tl.step)}, {"tpot_us", us(tl.m.tpot)},
                    {"bubble_us", us(tl.m.decode.bubble)}}}};
  out = llvm::formatv("{0:1}", json::Value(std::move(root))).str() + "\n";
  return true;
}
