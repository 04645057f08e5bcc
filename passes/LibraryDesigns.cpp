//===- LibraryDesigns.cpp - Designs made from lib/ names ------------------===//
#include "passes/LibraryDesigns.h"

#include "frontend/Sema.h"
#include "ir/Schema.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <numeric>
#include <fmt/format.h>

using namespace ds;

const LibraryDesigns *LibraryDesigns::shared(std::string &error) {
  static std::string failure;
  static std::unique_ptr<LibraryDesigns> lib = [] {
    auto l = std::make_unique<LibraryDesigns>();
    if (!l->load(failure))
      l.reset();
    return l;
  }();
  error = failure;
  return lib.get();
}

bool LibraryDesigns::load(std::string &error) {
  std::string root = shippedLibraryDir();
  std::vector<std::string> files;
  for (const char *sub : {"chips", "models"}) {
    llvm::SmallString<256> dir(root);
    llvm::sys::path::append(dir, sub);
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      if (llvm::sys::path::extension(it->path()) == ".ds")
        files.push_back(std::string(sub) + "/" +
                        llvm::sys::path::filename(it->path()).str());
  }
  std::sort(files.begin(), files.end());
  for (const std::string &f : files)
    imports_ += fmt::format("import \"{}\";\n", f);
  // IR holds what the main file declares and uses: extend every library
  // chip and model once (library_use_NAME) so that each is lowered.
  auto names = compile("", error);
  if (!names)
    return false;
  std::string uses;
  for (const DeclInfo *d : names->sema().decls())
    if (d->kind == DeclKind::Chip || d->kind == DeclKind::Model)
      uses += fmt::format("{} library_use_{} : {} {{ }}\n",
                          d->kind == DeclKind::Chip ? "chip" : "model",
                          d->name, d->name);
  lib_ = compile(uses, error);
  return lib_ != nullptr;
}

std::unique_ptr<Compilation> LibraryDesigns::compile(llvm::StringRef decls,
                                                     std::string &error) const {
  std::string text = imports_ + decls.str();
  std::string errs;
  llvm::raw_string_ostream es(errs);
  auto c = std::make_unique<Compilation>(FrontendOptions(), es);
  if (!c->runBuffer(text, "<reference row>")) {
    es.flush();
    error = errs;
    return nullptr;
  }
  return c;
}

const ChipIR *LibraryDesigns::chip(llvm::StringRef name) const {
  for (const ChipIR &c : lib_->module()->chips)
    if (c.name == "library_use_" + name.str())
      return &c;
  return nullptr;
}

const ModelIR *LibraryDesigns::model(llvm::StringRef name) const {
  for (const ModelIR &m : lib_->module()->models)
    if (m.name == "library_use_" + name.str())
      return &m;
  return nullptr;
}

std::string LibraryDesigns::chipNames() const {
  std::string s;
  for (const ChipIR &c : lib_->module()->chips)
    if (llvm::StringRef(c.name).startswith("library_use_"))
      s += (s.empty() ? "" : ", ") + c.name.substr(12);
  return s;
}

std::string LibraryDesigns::modelNames() const {
  std::string s;
  for (const ModelIR &m : lib_->module()->models)
    if (llvm::StringRef(m.name).startswith("library_use_"))
      s += (s.empty() ? "" : ", ") + m.name.substr(12);
  return s;
}

std::string ds::scaleUpNetwork(const ChipIR &chip, int64_t num,
                               llvm::StringRef name) {
  // Nodes must tile the chips: a count that is not a multiple of the node
  // size fills nodes of gcd(num, size) chips.
  int64_t node = std::gcd(num, chip.scaleUpSize);
  std::string topo = spelling(EnumId::TopologyKind, chip.scaleUpTopology).str();
  if (chip.scaleUpTopology != TopologyKind::Switch &&
      chip.scaleUpTopology != TopologyKind::FullMesh &&
      chip.scaleUpTopology != TopologyKind::Ring)
    topo = "switch";
  llvm::StringRef id = llvm::StringRef(chip.name).drop_front(
      llvm::StringRef(chip.name).startswith("library_use_") ? 12 : 0);
  std::string link = fmt::format("{}.scale_up.bandwidth", id.str());
  // A full mesh splits a chip's links over the peers of a whole node, used
  // or not.
  if (topo == "full_mesh" && chip.scaleUpSize > 1)
    link += fmt::format(" / {}", chip.scaleUpSize - 1);
  std::string s = fmt::format(
      "network {} {{\n  packet = {}.scale_up.packet; header = "
      "{}.scale_up.header; ack = {}.scale_up.ack;\n"
      "  level node = {}({}) {{ link = {}; latency = "
      "{}.scale_up.latency; energy = {}.scale_up.energy; overhead = "
      "{}.scale_up.overhead; ports = {}; }}\n",
      name.str(), id.str(), id.str(), id.str(), topo, node, link, id.str(),
      id.str(), id.str(), node);
  if (num > node)
    s += fmt::format("  level cluster = switch({}) {{ link = 50 GB/s; latency "
                     "= 2 us; energy = 20 pJ/bit; }}\n",
                     num / node);
  return s + "}\n";
}
