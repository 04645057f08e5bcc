//===- DramReference.h - DRAM reference points ------------------*- C++ -*-===//
//
// The DRAM schema of the reference data (data/reference/dram/README.md):
// one device configuration and one synthetic access pattern per row, with
// the bandwidth a cycle-accurate simulator measured. Each row becomes a
// dram::Device and dram::Pattern and is evaluated by the transaction model
// (runtime/dram/DeviceModel) from the row's own columns only.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_RUNTIME_VALIDATE_DRAMREFERENCE_H
#define DEEPSTACK_RUNTIME_VALIDATE_DRAMREFERENCE_H

#include "runtime/validate/Schema.h"

namespace ds {

/// The controller of the reference simulator has per-bank command queues
/// of 8 (README, controller text; not a column).
constexpr unsigned kDramReferenceBankQueue = 8;
/// Its pipeline adds 2 clocks to every access: 1 from the transaction queue
/// to the command queue, 1 to issue the command.
constexpr double kDramReferenceControllerClocks = 2;

const ReferenceSchema &dramReferenceSchema();

} // namespace ds

#endif
