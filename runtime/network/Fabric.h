//===- Fabric.h - A hierarchical network as links and routes ----*- C++ -*-===//
//
// The physical side of the network model (DESIGN.md 6.4): the levels of a
// `network`, innermost first, turned into numbered directed links and a
// deterministic route between any two devices. Device ids are mixed-radix
// numbers whose digits are the levels' dimensions, innermost fastest.
//
// Routing: a flow climbs to the lowest level where source and destination
// differ (through each switch level's up-link and crossbar), crosses that
// level (switch: up, crossbar, down; ring/torus: shorter way, dimension by
// dimension; mesh/chain: dimension-ordered; full mesh: the direct link) and
// climbs down. A unit of a direct level (ring, torus...) reaches the next
// level through its ports from any of its devices (a NIC per device).
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_NETWORK_FABRIC_H
#define DEEPSTACK_RUNTIME_NETWORK_FABRIC_H

#include "ir/Enums.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ds {
struct NetworkIR;
namespace net {

/// One level, in SI units.
struct LevelSpec {
  std::string name;
  TopologyKind kind = TopologyKind::Switch;
  llvm::SmallVector<int64_t, 3> dims;
  double link = 0;          ///< bytes/s per link and direction
  double latency = 0;       ///< s per hop
  double energyPerByte = 0; ///< J per byte on one link
  double overhead = 0;      ///< s per message crossing this level
  double crossbar = 0;      ///< bytes/s of a switch's centre; 0 = non-blocking
  int64_t ports = 1;        ///< links from each unit of this level upward
  Spread spread = Spread::Even;
  int64_t size() const;
};

struct FabricSpec {
  std::vector<LevelSpec> levels; ///< innermost first
  double packet = 1024;          ///< bytes on the wire per packet
  double header = 36;            ///< of which header
  double ack = 64;               ///< ACK bytes sent back per data packet
  static FabricSpec fromIR(const NetworkIR &n);
};

enum class LinkKind : uint8_t { Up, Down, Crossbar, Direct };

struct LinkInfo {
  double bandwidth = 0;     ///< bytes/s
  double latency = 0;       ///< s
  double energyPerByte = 0; ///< J/byte
  uint8_t level = 0;
  LinkKind kind = LinkKind::Direct;
};

class Fabric {
public:
  explicit Fabric(FabricSpec spec);

  const FabricSpec &spec() const { return spec_; }
  int64_t devices() const { return devices_; }
  unsigned levels() const { return spec_.levels.size(); }

  /// Digits: each level's dimensions, innermost first.
  unsigned digits() const { return radix_.size(); }
  int64_t radix(unsigned d) const { return radix_[d]; }
  unsigned levelOfDigit(unsigned d) const { return digitLevel_[d]; }
  /// Product of the radices of digits below \p d (the digit's weight).
  int64_t weight(unsigned d) const { return weight_[d]; }

  uint32_t linkCount() const { return linkCount_; }
  const LinkInfo &link(uint32_t id) const;
  /// The link carrying traffic the other way (its ACKs).
  uint32_t reverse(uint32_t id) const;
  /// Readable name, e.g. "rack#0 crossbar" or "board#3 up 5".
  std::string linkName(uint32_t id) const;

  /// Every digit translation (cyclic per digit) maps the fabric onto
  /// itself: no mesh or chain level and no per-port (nearest) links.
  bool translationInvariant() const { return translationInvariant_; }
  /// Under translations of every digit, the link of the same kind at
  /// instance 0 / child 0 that \p id maps to, and how many links share it.
  uint32_t canonical(uint32_t id) const;
  double classSize(uint32_t id) const;

  /// Highest level at which devices \p a and \p b differ (-1 if equal).
  int lcaLevel(int64_t a, int64_t b) const;

  /// Appends the links from \p src to \p dst in order.
  void route(int64_t src, int64_t dst,
             llvm::SmallVectorImpl<uint32_t> &path) const;

private:
  struct LevelLayout {
    uint32_t base = 0;      ///< first link id
    int64_t instances = 1;  ///< copies of the level
    int64_t perInstance = 0;
    int64_t unitDevices = 1; ///< devices under one child of the level
    int64_t upPorts = 1;     ///< separate up-links per child (nearest)
    unsigned firstDigit = 0;
    LinkInfo up, down, direct, crossbar; ///< every link of a kind is alike
  };
  unsigned levelOfLink(uint32_t id) const;
  int64_t child(int64_t device, unsigned level) const;
  int64_t instance(int64_t device, unsigned level) const;
  uint32_t upLink(int64_t device, unsigned level) const;
  uint32_t downLink(int64_t device, unsigned level) const;
  uint32_t crossbarLink(int64_t device, unsigned level) const;
  void crossLevel(int64_t src, int64_t dst, unsigned level,
                  llvm::SmallVectorImpl<uint32_t> &path) const;
  void build();

  FabricSpec spec_;
  int64_t devices_ = 1;
  bool translationInvariant_ = true;
  std::vector<int64_t> radix_, weight_;
  std::vector<unsigned> digitLevel_;
  std::vector<LevelLayout> layout_;
  uint32_t linkCount_ = 0;
};

} // namespace net
} // namespace ds

#endif
