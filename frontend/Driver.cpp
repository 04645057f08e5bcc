//===- Driver.cpp - One compilation from a path to IR ---------------------===//
#include "frontend/Driver.h"

#include "frontend/IRGen.h"

#include <malloc.h>

using namespace ds;

void ds::tuneAllocator() { mallopt(M_MXFAST, 0); }

Compilation::Compilation(FrontendOptions o, llvm::raw_ostream &errs)
    : opts(std::move(o)), diagEngine(sm, errs) {
  diagEngine.setShowKind(opts.showDiagKind);
  diagEngine.setErrorLimit(opts.errorLimit);
  semaPtr = std::make_unique<Sema>(diagEngine, opts.includeDirs);
}

Compilation::~Compilation() = default;

bool Compilation::run(llvm::StringRef path, bool parseOnly) {
  return finish(semaPtr->loadMainFile(path), parseOnly);
}

bool Compilation::runBuffer(llvm::StringRef text, llvm::StringRef name,
                            bool parseOnly) {
  return finish(semaPtr->loadMainBuffer(text, name), parseOnly);
}

bool Compilation::finish(bool loaded, bool parseOnly) {
  if (!loaded)
    return false;
  if (parseOnly)
    return true;
  for (const std::string &s : opts.settings)
    semaPtr->addSetting(s);
  if (!semaPtr->check())
    return false;
  ir = generateIR(*semaPtr);
  return true;
}
