//===- CollectivesReference.h - Collective reference points -----*- C++ -*-===//
//
// The collectives schema (DESIGN.md 7): one network shape, link and
// collective per row, with the completion time a packet-level simulator
// measured. Each row becomes a fabric (runtime/network) priced by the same
// two-stage model as a design's network.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_VALIDATE_COLLECTIVESREFERENCE_H
#define DEEPSTACK_RUNTIME_VALIDATE_COLLECTIVESREFERENCE_H

#include "runtime/validate/Schema.h"

namespace ds {

/// The files give one hop latency, for the links next to the ranks. A link
/// between two switches (leaf to spine) is a longer cable and another
/// switch pipeline: 1024 ns in the two-level reference rows, the same for
/// 256 and 512 ns hops (docs/notes/collectives-model.md).
constexpr double kReferenceSwitchToSwitchLatency = 1024e-9;
/// Packets of the reference simulator: 1024 B on the wire, 36 B of header
/// (README); each answered by a 64 B ACK on the reverse link.
constexpr double kReferencePacket = 1024, kReferenceHeader = 36,
                 kReferenceAck = 64;

const ReferenceSchema &collectivesReferenceSchema();

} // namespace ds

#endif
