//===- NetworkAbstractionEmit.cpp - The network report, text and JSON -----===//
//
// `deepstack report FILE --component=network`: the hierarchy, where each
// parallel dimension's groups sit, and for every collective the algorithm,
// its time split into latency and bandwidth, the hottest link with its
// utilisation, and the energy. Text in human units; JSON in SI.
//
//===----------------------------------------------------------------------===//
#include "passes/NetworkAbstractionEmit.h"

#include "frontend/Units.h"
#include <fmt/format.h>

using namespace ds;

namespace {
std::string q(double v, const Dim &d) { return formatQuantity(v, d, 4); }

std::string levelsSpanned(const net::Fabric &f, net::Group g) {
  if (g.size < 2)
    return "-";
  llvm::SmallVector<int, 4> levels;
  net::shapeOf(f, g, levels);
  std::string s;
  for (int l : levels)
    s += (s.empty() ? "" : ", ") + f.spec().levels[l].name;
  return s;
}

std::string phaseName(Phase p) { return spelling(EnumId::Phase, p).str(); }
} // namespace

void ds::printNetworkReport(const DesignIR &d, const net::NetworkModel &model,
                            const NetworkAbstraction &na,
                            llvm::raw_ostream &os) {
  const NetworkIR &n = *d.system->network;
  const net::Fabric &f = model.fabric();
  os << "network " << n.name << ": " << n.devices() << " devices, packets "
     << q(n.packet, Dim::bytes()) << " (" << q(n.header, Dim::bytes())
     << " header), ACK " << q(n.ack, Dim::bytes()) << "\n";
  os << fmt::format("  {:<10} {:<14} {:>11} {:>10} {:>11} {:>6} {:>10}\n",
                    "level", "topology", "link", "latency", "energy", "ports",
                    "crossbar");
  for (const LevelIR &l : n.levels)
    os << fmt::format("  {:<10} {:<14} {:>11} {:>10} {:>11} {:>6} {:>10}\n",
                      l.name, l.topology.str(), q(l.link, Dim::bandwidth()),
                      q(l.latency, Dim::time()),
                      q(l.energy, Dim::energyPerBit()), l.ports,
                      l.crossbar > 0 ? q(l.crossbar, Dim::bandwidth())
                                     : std::string("full"));
  os << "schedule " << d.schedule->name << ": " << na.layout.describe() << "\n";
  os << fmt::format("  {:<5} {:>6} {:>7}  {}\n", "group", "ranks", "stride",
                    "spans levels");
  for (unsigned i = 0; i < kParallelDims; ++i) {
    net::Group g = na.layout.group(ParallelDim(i));
    if (g.size > 1)
      os << fmt::format("  {:<5} {:>6} {:>7}  {}\n",
                        parallelDimName(ParallelDim(i)), g.size, g.stride,
                        levelsSpanned(f, g));
  }
  printCollectiveTable(model, na.comms, os);
}

void ds::printCollectiveTable(const net::NetworkModel &model,
                              llvm::ArrayRef<PricedComm> comms,
                              llvm::raw_ostream &os) {
  if (comms.empty()) {
    os << "no collectives: every parallel degree is 1\n";
    return;
  }
  os << "collectives of one forward step (all groups at once):\n";
  os << fmt::format("  {:<8} {:<24} {:<5} {:<14} {:<25} {:>10} {:>6} {:>10} "
                    "{:>10} {:>10} {:>10}  {}\n",
                    "phase", "what", "group", "collective", "algorithm", "size",
                    "count", "time", "latency", "bandwidth", "energy",
                    "hottest link (utilisation)");
  std::map<Phase, std::pair<double, double>> totals;
  for (const PricedComm &c : comms) {
    const net::CollectiveCost &k = c.cost;
    os << fmt::format(
        "  {:<8} {:<24} {:<5} {:<14} {:<25} {:>10} {:>6} {:>10} {:>10} {:>10} "
        "{:>10}  {} ({:.0f}%)\n",
        phaseName(c.op.phase), c.op.what, parallelDimName(c.op.dim),
        net::collectiveName(c.op.collective),
        spelling(EnumId::Algorithm, k.algorithm).str() +
            (c.op.algorithm == Algorithm::Auto ? " (auto)" : ""),
        q(c.op.bytes, Dim::bytes()), formatNumber(c.op.count, 4),
        q(k.time, Dim::time()), q(k.latency, Dim::time()),
        q(k.bandwidth, Dim::time()), q(k.energy, Dim::energy()),
        model.fabric().linkName(k.hottestLink), 100 * k.hottestUtilisation);
    totals[c.op.phase].first += k.time * c.op.count;
    totals[c.op.phase].second += k.energy * c.op.count;
  }
  for (auto [phase, t] : totals)
    os << fmt::format("  {} step: {} of collectives (before overlap), {}\n",
                      phaseName(phase), q(t.first, Dim::time()),
                      q(t.second, Dim::energy()));
}

void ds::writeNetworkJSON(const DesignIR *d, const net::NetworkModel &model,
                          const NetworkAbstraction &na, llvm::json::OStream &j) {
  const net::Fabric &f = model.fabric();
  j.attributeObject("network", [&] {
    if (d) {
      const NetworkIR &n = *d->system->network;
      j.attribute("name", n.name);
      j.attribute("devices", n.devices());
      j.attributeArray("levels", [&] {
        for (const LevelIR &l : n.levels)
          j.object([&] {
            j.attribute("name", l.name);
            j.attribute("topology", l.topology.str());
            j.attribute("link_Bps", l.link);
            j.attribute("latency_s", l.latency);
            j.attribute("energy_J_per_bit", l.energy / 8);
            j.attribute("ports", l.ports);
            j.attribute("crossbar_Bps", l.crossbar);
          });
      });
      j.attributeObject("groups", [&] {
        for (unsigned i = 0; i < kParallelDims; ++i)
          j.attributeObject(parallelDimName(ParallelDim(i)), [&] {
            net::Group g = na.layout.group(ParallelDim(i));
            j.attribute("ranks", g.size);
            j.attribute("stride", g.stride);
          });
      });
    }
    j.attributeArray("collectives", [&] {
      for (const PricedComm &c : na.comms) {
        const net::CollectiveCost &k = c.cost;
        j.object([&] {
          j.attribute("phase", phaseName(c.op.phase));
          j.attribute("what", c.op.what);
          j.attribute("group", parallelDimName(c.op.dim));
          j.attribute("group_ranks", k.groupSize);
          j.attribute("concurrent_groups", k.groups);
          j.attribute("collective", net::collectiveName(c.op.collective));
          j.attribute("algorithm", spelling(EnumId::Algorithm, k.algorithm));
          j.attribute("requested_algorithm",
                      spelling(EnumId::Algorithm, c.op.algorithm));
          j.attribute("bytes", c.op.bytes);
          j.attribute("count", c.op.count);
          j.attribute("time_s", k.time);
          j.attribute("latency_s", k.latency);
          j.attribute("bandwidth_s", k.bandwidth);
          j.attribute("energy_J", k.energy);
          j.attribute("steps", k.steps);
          j.attribute("hottest_link", f.linkName(k.hottestLink));
          j.attribute("hottest_link_bytes", k.hottestBytes);
          j.attribute("hottest_link_utilisation", k.hottestUtilisation);
        });
      }
    });
  });
}
