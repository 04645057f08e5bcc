//===- LibraryDesigns.h - Designs made from lib/ names ----------*- C++ -*-===//
//
// Reference rows name chips and models of the shipped library. This
// compiles every lib/chips and lib/models file once, answers which names
// exist, and compiles small designs written in .ds text on top of them.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_LIBRARYDESIGNS_H
#define DEEPSTACK_PASSES_LIBRARYDESIGNS_H

#include "frontend/Driver.h"
#include <memory>
#include <string>

namespace ds {

class LibraryDesigns {
public:
  /// The library, compiled once per process; null (with \p error set, and
  /// the failure remembered) when it does not compile.
  static const LibraryDesigns *shared(std::string &error);

  /// Compiles the library; false (with \p error set) when it does not.
  bool load(std::string &error);

  const ChipIR *chip(llvm::StringRef name) const;
  const ModelIR *model(llvm::StringRef name) const;
  /// "a, b, c": the names of a kind, for messages.
  std::string chipNames() const;
  std::string modelNames() const;

  /// Compiles \p decls (which may use every library name) into a module;
  /// null with \p error set (the diagnostics' text) on failure.
  std::unique_ptr<Compilation> compile(llvm::StringRef decls,
                                       std::string &error) const;

private:
  std::string imports_;
  std::unique_ptr<Compilation> lib_;
};

/// The scale-up network of \p num chips of \p chip, as .ds text named
/// \p name: one node (the chip's scale_up) or nodes under a switch of
/// 50 GB/s NICs, one per chip.
std::string scaleUpNetwork(const ChipIR &chip, int64_t num,
                           llvm::StringRef name);

} // namespace ds

#endif
