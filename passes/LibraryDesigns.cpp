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

namespace {
/// Library declarations are lowered through `library_use_NAME : NAME { }`.
constexpr llvm::StringLiteral kUse = "library_use_";

template <typename IR>
const IR *findUse(const std::deque<IR> &decls, llvm::StringRef name) {
  std::string use = (kUse + name).str();
  for (const IR &d : decls)
    if (d.name == use)
      return &d;
  return nullptr;
}

template <typename IR> std::string useNames(const std::deque<IR> &decls) {
  std::string s;
  for (const IR &d : decls) {
    llvm::StringRef n = d.name;
    if (n.consume_front(kUse))
      s += (s.empty() ? "" : ", ") + n.str();
  }
  return s;
}
} // namespace

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
      uses += fmt::format("{} {}{} : {} {{ }}\n",
                          d->kind == DeclKind::Chip ? "chip" : "model",
                          kUse.str(), d->name, d->name);
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
  return findUse(lib_->module()->chips, name);
}

const ModelIR *LibraryDesigns::model(llvm::StringRef name) const {
  return findUse(lib_->module()->models, name);
}

std::string LibraryDesigns::chipNames() const {
  return useNames(lib_->module()->chips);
}

std::string LibraryDesigns::modelNames() const {
  return useNames(lib_->module()->models);
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
  llvm::StringRef id = chip.name;
  id.consume_front(kUse);
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
