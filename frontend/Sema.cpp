//===- Sema.cpp - Loading files and registering declarations --------------===//
//
// Imports are searched next to the importing file, then on -I directories,
// then in the shipped lib/. Each file is loaded once; a file that imports
// itself (directly or not) is an error.
//
//===----------------------------------------------------------------------===//
#include "frontend/Sema.h"

#include "frontend/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace ds;

std::string ds::shippedLibraryDir() {
  if (const char *env = std::getenv("DEEPSTACK_LIB"))
    return env;
  return DEEPSTACK_LIB_DIR;
}

Sema::Sema(DiagEngine &diags, std::vector<std::string> includeDirs)
    : diags(diags), includeDirs(std::move(includeDirs)) {
  if (const char *env = std::getenv("DEEPSTACK_LIB"))
    this->includeDirs.push_back(env);
  this->includeDirs.push_back(DEEPSTACK_LIB_DIR);
}

Sema::~Sema() = default;

bool Sema::loadMainFile(llvm::StringRef path) {
  return loadFile(path, llvm::SMLoc()) && !diags.hadError();
}

std::string Sema::findImport(llvm::StringRef spec, llvm::StringRef fromFile) {
  llvm::SmallVector<std::string, 4> dirs;
  dirs.push_back(llvm::sys::path::parent_path(fromFile).str());
  for (const std::string &d : includeDirs)
    dirs.push_back(d);
  if (llvm::sys::path::is_absolute(spec))
    dirs = {""};
  for (const std::string &d : dirs) {
    llvm::SmallString<256> candidate(d);
    llvm::sys::path::append(candidate, spec);
    if (llvm::sys::fs::is_regular_file(candidate))
      return std::string(candidate);
  }
  return "";
}

bool Sema::loadFile(llvm::StringRef path, llvm::SMLoc importLoc) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real))
    real = path;
  std::string canonical(real);
  if (llvm::is_contained(importStack, canonical)) {
    diags.report(importLoc, DiagKind::ImportCycle, path);
    return false;
  }
  if (llvm::is_contained(loadedPaths, canonical))
    return true;

  if (llvm::sys::fs::is_directory(path)) {
    diags.report(importLoc, DiagKind::CannotOpenFile, path, "is a directory");
    return false;
  }
  auto buf = path == "-" ? llvm::MemoryBuffer::getSTDIN()
                         : llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buf) {
    diags.report(importLoc, DiagKind::CannotOpenFile, path,
                 buf.getError().message());
    return false;
  }
  if ((*buf)->getBufferSize() > ParseLimits::maxFileBytes) {
    diags.report(importLoc, DiagKind::FileTooLarge, path,
                 (*buf)->getBufferSize(), ParseLimits::maxFileBytes);
    return false;
  }
  if (path == "-")
    *buf = llvm::MemoryBuffer::getMemBufferCopy((*buf)->getBuffer(), "<stdin>");
  unsigned id = diags.sourceMgr().AddNewSourceBuffer(std::move(*buf), importLoc);
  loadedPaths.push_back(canonical);
  importStack.push_back(canonical);
  bool ok = loadParsedBuffer(id, path);
  importStack.pop_back();
  return ok;
}

bool Sema::loadMainBuffer(llvm::StringRef text, llvm::StringRef name) {
  if (text.size() > ParseLimits::maxFileBytes) {
    diags.report(llvm::SMLoc(), DiagKind::FileTooLarge, name, text.size(),
                 ParseLimits::maxFileBytes);
    return false;
  }
  unsigned id = diags.sourceMgr().AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
  importStack.push_back(name.str());
  bool ok = loadParsedBuffer(id, name);
  importStack.pop_back();
  return ok && !diags.hadError();
}

/// Parses buffer \p id (already on the import stack), then its imports,
/// then registers its declarations.
bool Sema::loadParsedBuffer(unsigned id, llvm::StringRef path) {
  std::unique_ptr<ast::File> file = parseFile(id, diags);
  bool ok = file != nullptr;
  if (file) {
    llvm::StringRef bufferName =
        diags.sourceMgr().getMemoryBuffer(id)->getBufferIdentifier();
    if (file->decls.empty() && file->imports.empty()) {
      llvm::StringRef text = diags.sourceMgr().getMemoryBuffer(id)->getBuffer();
      diags.report(llvm::SMLoc::getFromPointer(text.data()),
                   DiagKind::EmptyFile, bufferName);
      ok = false;
    }
    for (const ast::Import &imp : file->imports) {
      if (diags.stopped())
        break;
      std::string found = findImport(imp.path, path);
      if (found.empty()) {
        llvm::StringRef here = llvm::sys::path::parent_path(path);
        std::string searched = "'" + (here.empty() ? "." : here.str()) + "'";
        for (const std::string &d : includeDirs)
          searched += ", '" + d + "'";
        diags.report(imp.range, DiagKind::ImportNotFound, imp.path, searched);
        ok = false;
        continue;
      }
      ok &= loadFile(found, imp.range.Start);
    }
    bool isMain = importStack.size() == 1;
    registerDecls(*file, isMain);
    if (isMain)
      main = file.get();
    loadedFiles.push_back(std::move(file));
  }
  return ok;
}

DeclInfo *Sema::findDecl(llvm::StringRef name) const {
  return declsByName.lookup(name);
}

void Sema::registerDecls(ast::File &file, bool isMain) {
  std::vector<std::string> keywords;
  for (const KindSchema &k : allKindSchemas())
    if (k.kind != DeclKind::Level)
      keywords.push_back(k.keyword.str());
  for (const ast::Decl &d : file.decls) {
    if (declOrder.size() >= ParseLimits::maxDecls) {
      diags.report(d.nameRange, DiagKind::TooManyDecls, ParseLimits::maxDecls);
      return;
    }
    auto kind = kindFromKeyword(d.kind);
    if (!kind) {
      diags.report(d.kindRange, DiagKind::UnknownKind, d.kind);
      diags.suggest(d.kindRange, closestName(d.kind, keywords));
      continue;
    }
    if (DeclInfo *prev = findDecl(d.name)) {
      diags.report(d.nameRange, DiagKind::Redefinition, d.name);
      diags.report(prev->nameRange, DiagKind::NotePreviousDecl, d.name);
      continue;
    }
    auto info = std::make_unique<DeclInfo>();
    info->kind = *kind;
    info->name = d.name;
    info->ast = &d;
    info->nameRange = d.nameRange;
    info->inMainFile = isMain;
    declsByName[d.name] = info.get();
    declOrder.push_back(info.get());
    declStore.push_back(std::move(info));
  }
}

void Sema::resolveBases() {
  for (DeclInfo *d : declOrder) {
    const ast::Decl &a = *d->ast;
    bool isSweep = d->kind == DeclKind::Sweep;
    if (!a.target.empty() && !isSweep)
      diags.report(a.targetRange, DiagKind::OverOnlyForSweep);
    if (isSweep && a.target.empty())
      diags.report(a.nameRange, DiagKind::SweepNeedsOver, a.name);
    if (a.base.empty())
      continue;
    if (isSweep) {
      diags.report(a.baseRange, DiagKind::SweepCannotExtend);
      continue;
    }
    DeclInfo *base = findDecl(a.base);
    if (!base) {
      diags.report(a.baseRange, DiagKind::UnknownBase, a.name,
                   kindKeyword(d->kind), a.base);
      std::vector<std::string> same;
      for (DeclInfo *o : declOrder)
        if (o->kind == d->kind && o != d)
          same.push_back(o->name);
      diags.suggest(a.baseRange, closestName(a.base, same));
      continue;
    }
    if (base->kind != d->kind) {
      diags.report(a.baseRange, DiagKind::BaseKindMismatch,
                   kindKeyword(d->kind), a.name, kindKeyword(base->kind),
                   a.base);
      continue;
    }
    d->base = base;
  }
  // A chain that comes back to where it started is a cycle; break it so
  // later phases terminate.
  for (DeclInfo *d : declOrder) {
    DeclInfo *slow = d, *fast = d;
    while (fast && fast->base) {
      slow = slow->base;
      fast = fast->base->base;
      if (slow == fast) {
        diags.report(d->ast->baseRange, DiagKind::ExtendsCycle, d->name);
        d->base = nullptr;
        break;
      }
    }
  }
}

void Sema::addSetting(llvm::StringRef text) {
  auto buf = llvm::MemoryBuffer::getMemBufferCopy(text, "<command line>");
  unsigned id = diags.sourceMgr().AddNewSourceBuffer(std::move(buf), {});
  if (auto item = parseSetting(id, diags))
    settings.push_back(std::move(item));
}

const ast::Expr *Sema::schemaExpr(llvm::StringRef text) {
  auto it = schemaExprs.find(text);
  if (it != schemaExprs.end())
    return it->second.get();
  auto buf = llvm::MemoryBuffer::getMemBufferCopy(text, "<schema>");
  unsigned id = diags.sourceMgr().AddNewSourceBuffer(std::move(buf), {});
  diags.addSyntheticBuffer(id);
  ast::ExprPtr e = parseExpression(id, diags);
  const ast::Expr *raw = e.get();
  schemaExprs[text] = std::move(e);
  return raw;
}

bool Sema::check() {
  if (diags.hadError())
    return false;
  resolveBases();
  for (DeclInfo *d : declOrder)
    collectBindings(*d);
  applySettings();
  for (DeclInfo *d : declOrder)
    merge(*d);
  for (DeclInfo *d : declOrder) {
    if (diags.stopped())
      break;
    if (d->kind == DeclKind::Sweep)
      continue;
    checkDecl(*d);
  }
  for (DeclInfo *d : declOrder)
    if (d->kind == DeclKind::Sweep && !diags.stopped())
      checkSweep(*d);
  if (!diags.hadError())
    verifyComplete();
  return !diags.hadError();
}

void Sema::verifyComplete() {
  auto verify = [&](DeclInfo &d) {
    for (const FieldSchema &f : kindSchema(d.kind).fields)
      if (!d.values.count(f.path))
        diags.report(d.nameRange, DiagKind::InternalNoValue, f.path,
                     qualifiedName(d));
  };
  for (DeclInfo *d : declOrder) {
    if (d->kind == DeclKind::Sweep)
      continue;
    verify(*d);
    for (DeclInfo *l : d->levels)
      verify(*l);
  }
}
