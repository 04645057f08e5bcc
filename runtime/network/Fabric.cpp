//===- Fabric.cpp - Links and routes of a hierarchical network ------------===//
#include "runtime/network/Fabric.h"

#include "ir/IR.h"

#include <cassert>
#include <fmt/format.h>

using namespace ds;
using namespace ds::net;

int64_t LevelSpec::size() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

FabricSpec FabricSpec::fromIR(const NetworkIR &n) {
  FabricSpec s;
  s.packet = n.packet;
  s.header = n.header;
  s.ack = n.ack;
  for (const LevelIR &l : n.levels) {
    LevelSpec ls;
    ls.name = l.name;
    ls.kind = l.topology.kind;
    ls.dims = l.topology.dims;
    ls.link = l.link;
    ls.latency = l.latency;
    ls.energyPerByte = l.energy; // SI energy per information is J/byte
    ls.overhead = l.overhead;
    ls.crossbar = l.crossbar;
    ls.ports = l.ports;
    ls.spread = l.spread;
    s.levels.push_back(std::move(ls));
  }
  return s;
}

Fabric::Fabric(FabricSpec spec) : spec_(std::move(spec)) { build(); }

void Fabric::build() {
  int64_t w = 1;
  uint32_t nextLink = 0;
  for (unsigned l = 0; l < spec_.levels.size(); ++l) {
    const LevelSpec &ls = spec_.levels[l];
    LevelLayout lay;
    lay.firstDigit = radix_.size();
    lay.unitDevices = w;
    for (int64_t d : ls.dims) {
      radix_.push_back(d);
      weight_.push_back(w);
      digitLevel_.push_back(l);
      w *= d;
    }
    layout_.push_back(lay);
  }
  devices_ = w;
  for (unsigned l = 0; l < spec_.levels.size(); ++l) {
    const LevelSpec &ls = spec_.levels[l];
    bool perPort = ls.spread == Spread::Nearest && ls.ports > 1 &&
                   l + 1 < spec_.levels.size() &&
                   spec_.levels[l + 1].kind == TopologyKind::Switch;
    if (ls.kind == TopologyKind::Mesh || ls.kind == TopologyKind::Chain ||
        perPort)
      translationInvariant_ = false;
  }
  for (unsigned l = 0; l < spec_.levels.size(); ++l) {
    const LevelSpec &ls = spec_.levels[l];
    LevelLayout &lay = layout_[l];
    int64_t n = ls.size();
    lay.instances = devices_ / (lay.unitDevices * n);
    const LevelSpec *below = l ? &spec_.levels[l - 1] : nullptr;
    // Per-port links exist only towards a switch; between the units of a
    // direct level the ports act as one bundle whatever the spread.
    bool nearest = below && below->spread == Spread::Nearest &&
                   below->ports > 1 && ls.kind == TopologyKind::Switch;
    lay.upPorts = nearest ? below->ports : 1;
    // A child's connection: one link at level 0, else the ports of the unit
    // below, aggregated (even spread) or one link each (nearest).
    double bw = ls.link * (below && !nearest ? double(below->ports) : 1.0);
    uint8_t lv = uint8_t(l);
    lay.up = LinkInfo{bw, ls.latency, ls.energyPerByte, lv, LinkKind::Up};
    lay.down = LinkInfo{bw, ls.latency, ls.energyPerByte, lv, LinkKind::Down};
    lay.direct = LinkInfo{bw, ls.latency, ls.energyPerByte, lv, LinkKind::Direct};
    lay.crossbar = LinkInfo{ls.crossbar, 0, 0, lv, LinkKind::Crossbar};
    switch (ls.kind) {
    case TopologyKind::Switch:
      lay.perInstance = 2 * n * lay.upPorts + (ls.crossbar > 0 ? 1 : 0);
      break;
    case TopologyKind::FullMesh:
      lay.perInstance = n * n;
      break;
    default:
      lay.perInstance = n * 2 * int64_t(ls.dims.size());
    }
    lay.base = nextLink;
    nextLink += uint32_t(lay.instances * lay.perInstance);
  }
  linkCount_ = nextLink;
}

unsigned Fabric::levelOfLink(uint32_t id) const {
  unsigned l = layout_.size() - 1;
  while (l > 0 && id < layout_[l].base)
    --l;
  return l;
}

const LinkInfo &Fabric::link(uint32_t id) const {
  const LevelLayout &lay = layout_[levelOfLink(id)];
  const LevelSpec &ls = spec_.levels[levelOfLink(id)];
  if (ls.kind != TopologyKind::Switch)
    return lay.direct;
  int64_t local = (id - lay.base) % lay.perInstance;
  int64_t np = ls.size() * lay.upPorts;
  return local < np ? lay.up : local < 2 * np ? lay.down : lay.crossbar;
}

uint32_t Fabric::reverse(uint32_t id) const {
  unsigned l = levelOfLink(id);
  const LevelLayout &lay = layout_[l];
  const LevelSpec &ls = spec_.levels[l];
  int64_t rel = id - lay.base;
  int64_t inst = rel / lay.perInstance, local = rel % lay.perInstance;
  int64_t n = ls.size();
  uint32_t b = lay.base + uint32_t(inst * lay.perInstance);
  switch (ls.kind) {
  case TopologyKind::Switch: {
    int64_t np = n * lay.upPorts;
    return local < np ? id + uint32_t(np) : local < 2 * np ? id - uint32_t(np) : id;
  }
  case TopologyKind::FullMesh:
    return b + uint32_t((local % n) * n + local / n);
  default:
    break;
  }
  // Direct: node c, dimension i, direction; the reverse starts at the
  // neighbour and goes the other way.
  int64_t nd = ls.dims.size();
  int64_t c = local / (2 * nd), i = (local % (2 * nd)) / 2;
  bool plus = local % 2 == 0;
  int64_t wl = 1;
  for (int64_t k = 0; k < i; ++k)
    wl *= ls.dims[k];
  int64_t d = ls.dims[i], x = (c / wl) % d;
  int64_t nx = plus ? (x + 1) % d : (x + d - 1) % d;
  int64_t other = c + (nx - x) * wl;
  return b + uint32_t(other * 2 * nd + 2 * i + (plus ? 1 : 0));
}

int64_t Fabric::child(int64_t device, unsigned level) const {
  return (device / layout_[level].unitDevices) % spec_.levels[level].size();
}

int64_t Fabric::instance(int64_t device, unsigned level) const {
  return device / (layout_[level].unitDevices * spec_.levels[level].size());
}

uint32_t Fabric::upLink(int64_t device, unsigned level) const {
  const LevelLayout &lay = layout_[level];
  int64_t port = lay.upPorts > 1 ? (device % lay.unitDevices) % lay.upPorts : 0;
  return lay.base + uint32_t(instance(device, level) * lay.perInstance +
                             child(device, level) * lay.upPorts + port);
}

uint32_t Fabric::downLink(int64_t device, unsigned level) const {
  const LevelLayout &lay = layout_[level];
  int64_t np = spec_.levels[level].size() * lay.upPorts;
  return upLink(device, level) + uint32_t(np);
}

uint32_t Fabric::crossbarLink(int64_t device, unsigned level) const {
  const LevelLayout &lay = layout_[level];
  int64_t np = spec_.levels[level].size() * lay.upPorts;
  return lay.base + uint32_t(instance(device, level) * lay.perInstance + 2 * np);
}

int Fabric::lcaLevel(int64_t a, int64_t b) const {
  for (int l = int(levels()) - 1; l >= 0; --l)
    if (child(a, l) != child(b, l))
      return l;
  return -1;
}

void Fabric::crossLevel(int64_t src, int64_t dst, unsigned level,
                        llvm::SmallVectorImpl<uint32_t> &path) const {
  const LevelSpec &ls = spec_.levels[level];
  const LevelLayout &lay = layout_[level];
  int64_t a = child(src, level), z = child(dst, level);
  uint32_t b = lay.base + uint32_t(instance(src, level) * lay.perInstance);
  switch (ls.kind) {
  case TopologyKind::Switch:
    path.push_back(upLink(src, level));
    if (ls.crossbar > 0)
      path.push_back(crossbarLink(src, level));
    path.push_back(downLink(dst, level));
    return;
  case TopologyKind::FullMesh:
    path.push_back(b + uint32_t(a * ls.size() + z));
    return;
  default:
    break;
  }
  bool wrap = ls.kind == TopologyKind::Ring || ls.kind == TopologyKind::Torus;
  int64_t nd = ls.dims.size(), wl = 1, c = a;
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = ls.dims[i];
    int64_t x = (c / wl) % d, y = (z / wl) % d;
    int64_t fwd = ((y - x) % d + d) % d;
    bool plus = wrap ? fwd <= d - fwd : y > x;
    int64_t hops = wrap ? (plus ? fwd : d - fwd) : (plus ? y - x : x - y);
    for (int64_t h = 0; h < hops; ++h) {
      path.push_back(b + uint32_t(c * 2 * nd + 2 * i + (plus ? 0 : 1)));
      int64_t nx = plus ? (x + 1) % d : (x + d - 1) % d;
      c += (nx - x) * wl;
      x = nx;
    }
    wl *= d;
  }
  assert(c == z && "dimension-ordered route must end at the destination");
}

void Fabric::route(int64_t src, int64_t dst,
                   llvm::SmallVectorImpl<uint32_t> &path) const {
  int top = lcaLevel(src, dst);
  if (top < 0)
    return;
  for (int l = 0; l < top; ++l)
    if (spec_.levels[l].kind == TopologyKind::Switch) {
      path.push_back(upLink(src, l));
      if (spec_.levels[l].crossbar > 0)
        path.push_back(crossbarLink(src, l));
    }
  crossLevel(src, dst, top, path);
  for (int l = top - 1; l >= 0; --l)
    if (spec_.levels[l].kind == TopologyKind::Switch) {
      if (spec_.levels[l].crossbar > 0)
        path.push_back(crossbarLink(dst, l));
      path.push_back(downLink(dst, l));
    }
}

uint32_t Fabric::canonical(uint32_t id) const {
  const LinkInfo &li = link(id);
  const LevelLayout &lay = layout_[li.level];
  int64_t local = (id - lay.base) % lay.perInstance;
  int64_t n = spec_.levels[li.level].size();
  switch (li.kind) {
  case LinkKind::Up:
    local %= lay.upPorts;
    break;
  case LinkKind::Down:
    local = n * lay.upPorts + local % lay.upPorts;
    break;
  case LinkKind::Crossbar:
    break;
  case LinkKind::Direct:
    if (spec_.levels[li.level].kind == TopologyKind::FullMesh)
      local = ((local % n) - (local / n) + n) % n; // node 0 -> same offset
    else
      local %= 2 * int64_t(spec_.levels[li.level].dims.size());
    break;
  }
  return lay.base + uint32_t(local);
}

double Fabric::classSize(uint32_t id) const {
  const LinkInfo &li = link(id);
  const LevelLayout &lay = layout_[li.level];
  double inst = double(lay.instances);
  return li.kind == LinkKind::Crossbar
             ? inst
             : inst * double(spec_.levels[li.level].size());
}

std::string Fabric::linkName(uint32_t id) const {
  const LinkInfo &li = link(id);
  unsigned l = li.level;
  const LevelSpec &ls = spec_.levels[l];
  const LevelLayout &lay = layout_[l];
  int64_t local = id - lay.base;
  int64_t inst = local / lay.perInstance, r = local % lay.perInstance;
  int64_t n = ls.size();
  auto childName = [&](int64_t c) {
    int64_t global = inst * n + c;
    if (l == 0)
      return fmt::format("device {}", global);
    return fmt::format("{}#{}", spec_.levels[l - 1].name, global);
  };
  std::string self = fmt::format("{}#{}", ls.name, inst);
  if (li.kind == LinkKind::Crossbar)
    return self + " crossbar";
  if (li.kind == LinkKind::Up || li.kind == LinkKind::Down) {
    int64_t k = li.kind == LinkKind::Up ? r : r - n * lay.upPorts;
    std::string who = childName(k / lay.upPorts);
    if (lay.upPorts > 1)
      who += fmt::format(" port {}", k % lay.upPorts);
    return li.kind == LinkKind::Up ? who + " -> " + self + " switch"
                                   : self + " switch -> " + who;
  }
  if (ls.kind == TopologyKind::FullMesh)
    return fmt::format("{}: {} -> {}", self, childName(r / n),
                       childName(r % n));
  int64_t nd = ls.dims.size();
  int64_t c = r / (2 * nd), dim = (r % (2 * nd)) / 2;
  bool plus = r % 2 == 0;
  static const char *axis[] = {"x", "y", "z"};
  return fmt::format("{}: {} {}{}", self, childName(c), plus ? "+" : "-",
                     dim < 3 ? axis[dim] : "w");
}
