//===- IRGen.h - Checked declarations to IR ---------------------*- C++ -*-===//
#ifndef DEEPSTACK_FRONTEND_IRGEN_H
#define DEEPSTACK_FRONTEND_IRGEN_H

#include "frontend/Sema.h"
#include "ir/IR.h"
#include <memory>

namespace ds {

/// Builds the IR of the main file's declarations and everything they
/// reference. Requires a successful Sema::check().
std::unique_ptr<Module> generateIR(Sema &sema);

} // namespace ds

#endif
