//===- ServingReference.h - Serving and kernel reference points -*- C++ -*-===//
//
// The serving schema (DESIGN.md 7, `vllm/*.csv`): each row names a `lib/`
// model and chip; the row becomes
// a design - the chip's scale-up node as the network (a second switch level
// of 50 GB/s NICs when there are more chips than one node holds), the
// row's tp/pp/ep and batch - evaluated by the same passes as any design.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_SERVINGREFERENCE_H
#define DEEPSTACK_PASSES_SERVINGREFERENCE_H

#include "runtime/validate/Schema.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>

namespace ds {

const ReferenceSchema &servingReferenceSchema();

/// Mean running requests over \p generate decode steps when \p batch
/// requests start together with \p prompt tokens and a paged KV cache
/// holds \p fullLength of them at full length (prompt + generate): step i
/// runs min(batch, fullLength (prompt + generate) / (prompt + i)).
int64_t pagedConcurrency(int64_t fullLength, int64_t batch, int64_t prompt,
                         int64_t generate);

/// vLLM's default max_num_seqs (scheduler limit on running requests) for
/// a GPU named \p chip with \p deviceMemory bytes: 1024 from 70 GiB up
/// (except the A100), else 256.
int64_t vllmMaxNumSeqs(llvm::StringRef chip, double deviceMemory);

/// Registers the schemas built on the passes with `deepstack validate`.
void registerPassSchemas();

} // namespace ds

#endif
