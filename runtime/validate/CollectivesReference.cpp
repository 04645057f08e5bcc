//===- CollectivesReference.cpp - Collective reference points -------------===//
//
// shape "switch(8)/switch(8)" is read innermost first; every level gets the
// row's link bandwidth, the innermost its hop latency and the outer ones
// kReferenceSwitchToSwitchLatency. A node of an outer level connects to it
// by one link (a switch(8) above has 8 ports, one per child).
//
//===----------------------------------------------------------------------===//
#include "runtime/validate/CollectivesReference.h"

#include "runtime/network/NetworkModel.h"
#include "runtime/validate/RowReader.h"

#include "llvm/ADT/StringExtras.h"
#include <fmt/format.h>

using namespace ds;

namespace {
const char *const kColumns[] = {
    "topology",  "shape",          "ranks",         "collective",
    "algorithm", "link_GiBps",     "hop_latency_ns", "payload_bytes",
    "wire_bytes", "measured_ns"};

const char *const kTopologies[] = {"switch", "ring", "chain", "mesh", "torus",
                                   "full_mesh"};

/// Parses "switch(8)/torus(4,4)" into levels; "" or a message.
std::string parseShape(llvm::StringRef text, net::FabricSpec &spec) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  text.split(parts, '/');
  for (llvm::StringRef part : parts) {
    part = part.trim();
    size_t open = part.find('(');
    if (open == llvm::StringRef::npos || !part.endswith(")"))
      return fmt::format("'{}' is not a level such as switch(8)", part);
    llvm::StringRef kind = part.take_front(open).trim();
    net::LevelSpec l;
    unsigned k = 0;
    while (k < std::size(kTopologies) && kind != kTopologies[k])
      ++k;
    if (k == std::size(kTopologies))
      return fmt::format("unknown topology '{}'", kind);
    l.kind = TopologyKind(k);
    llvm::SmallVector<llvm::StringRef, 3> dims;
    part.drop_front(open + 1).drop_back().split(dims, ',');
    for (llvm::StringRef d : dims) {
      int64_t v = 0;
      if (d.trim().getAsInteger(10, v) || v < 1 || v > (1 << 20))
        return fmt::format("'{}' is not a dimension size", d.trim());
      l.dims.push_back(v);
    }
    bool oneDim = l.kind == TopologyKind::Switch ||
                  l.kind == TopologyKind::Ring ||
                  l.kind == TopologyKind::Chain ||
                  l.kind == TopologyKind::FullMesh;
    if ((oneDim && l.dims.size() != 1) || l.dims.size() > 3)
      return fmt::format("'{}' has the wrong number of dimensions", part);
    l.name = fmt::format("level{}", spec.levels.size());
    spec.levels.push_back(std::move(l));
  }
  return "";
}

bool evaluateRow(const CsvTable &t, const CsvRow &row, DiagEngine &diags,
                 ReferenceRow &out) {
  RowReader r(t, row, diags);
  net::FabricSpec spec;
  spec.packet = kReferencePacket;
  spec.header = kReferenceHeader;
  spec.ack = kReferenceAck;
  llvm::StringRef shape = r.field("shape");
  if (std::string e = parseShape(shape, spec); !e.empty())
    r.bad("shape", shape, "a shape such as switch(8)/switch(8): " + e);
  unsigned topo = r.choice("topology", kTopologies);
  double ranks = r.number("ranks", RowCheck::Whole);
  llvm::StringRef collText = r.field("collective");
  net::Collective coll = net::Collective::AllReduce;
  if (!net::parseCollective(collText, coll) ||
      coll == net::Collective::Broadcast || coll == net::Collective::SendRecv)
    r.bad("collective", collText,
          "one of all_reduce, all_gather, reduce_scatter, all_to_all");
  Algorithm alg = Algorithm(
      r.choice("algorithm", enumInfo(EnumId::Algorithm).spellings));
  double gibps = r.number("link_GiBps", RowCheck::Positive);
  double hop = r.number("hop_latency_ns", RowCheck::NonNegative);
  double payload = r.number("payload_bytes", RowCheck::NonNegative);
  r.number("wire_bytes", RowCheck::NonNegative);
  double measured = r.number("measured_ns", RowCheck::Positive);
  if (!r.ok())
    return false;
  int64_t devices = 1;
  bool topoSeen = false;
  for (size_t i = 0; i < spec.levels.size(); ++i) {
    net::LevelSpec &l = spec.levels[i];
    l.link = gibps * 1073741824.0;
    l.latency = i == 0 ? hop * 1e-9 : kReferenceSwitchToSwitchLatency;
    devices *= l.size();
    topoSeen |= unsigned(l.kind) == topo;
  }
  if (!topoSeen) {
    r.bad("topology", r.field("topology"),
          fmt::format("a topology of the shape '{}'", shape));
    return false;
  }
  if (double(devices) != ranks) {
    r.bad("ranks", r.field("ranks"),
          fmt::format("{}, the devices of shape '{}'", devices, shape));
    return false;
  }
  net::NetworkModel model(std::move(spec));
  auto cost = model.price(coll, alg, net::Group{devices, 1}, payload);
  if (!cost) {
    r.bad("algorithm", r.field("algorithm"),
          "an algorithm that applies: " + llvm::toString(cost.takeError()));
    return false;
  }
  out.line = row.line;
  out.key = fmt::format("{:<20} {:>5} {:<14} {:<18} {:>6} {:>5} {:>11}",
                        shape.str(), int64_t(ranks), collText.str(),
                        r.field("algorithm").str(), r.field("link_GiBps").str(),
                        r.field("hop_latency_ns").str(),
                        r.field("payload_bytes").str());
  out.measured = measured;
  out.predicted = cost->time * 1e9;
  out.note = fmt::format("{}{} bw {:.0f}%", cost->algorithm == alg ? "" :
                         spelling(EnumId::Algorithm, cost->algorithm).str() + " ",
                         cost->latency > cost->bandwidth ? "latency" : "bandwidth",
                         100 * cost->bandwidth / cost->time);
  return true;
}

} // namespace

const ReferenceSchema &ds::collectivesReferenceSchema() {
  static const ReferenceSchema schema{
      "collectives", kColumns,
      "shape                ranks collective     algorithm           GiBps   hop     payload",
      "measured_ns", "bound", evaluateRow};
  return schema;
}
