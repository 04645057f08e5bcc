//===- Instantiator.cpp - One design point of a sweep, in place -----------===//
//
// Sema records, while it checks the file once, which fields (and CHECK
// rules) read which fields. From that graph each axis gets, once, the
// fields to re-evaluate, the rules to re-run and the declarations whose IR
// to rewrite when it changes; a commit is then a walk over those lists. The
// lists are recomputed when the graph grows (an `if` default that takes its
// other branch reads new fields) or when an axis is first overridden (an
// overridden field no longer depends on what its expression read).
//
//===----------------------------------------------------------------------===//
#include "frontend/Instantiator.h"

#include "frontend/IRGen.h"
#include "frontend/IntervalEval.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <cstring>

using namespace ds;

namespace {
uint64_t mix(uint64_t h, uint64_t v) {
  // splitmix64's finaliser over the running hash and the next word.
  uint64_t x = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t hashValue(const Value &v) {
  uint64_t h = mix(uint64_t(v.kind), llvm::hash_value(v.text));
  double num = v.num + 0.0; // -0 and 0 are the same point
  uint64_t bits;
  std::memcpy(&bits, &num, sizeof bits);
  h = mix(h, bits);
  for (const Value &e : v.elems)
    h = mix(h, hashValue(e));
  return h;
}

bool sameValue(const Value &a, const Value &b) {
  if (a.kind != b.kind || a.num != b.num || a.text != b.text ||
      !(a.dim == b.dim) || a.elems.size() != b.elems.size())
    return false;
  for (size_t i = 0; i < a.elems.size(); ++i)
    if (!sameValue(a.elems[i], b.elems[i]))
      return false;
  return true;
}
} // namespace

struct Instantiator::Impl {
  struct Axis {
    DeclInfo *decl = nullptr;
    const FieldSchema *field = nullptr;
    std::string name; ///< "stack3d.layers", for messages
    Value value;
    uint64_t hash = 0;
    bool pinned = false, changed = false;
    // What a change reaches (analyze()).
    std::vector<DepKey> fields; ///< dependents to re-evaluate
    std::vector<unsigned> rules, rewrites, targets; ///< indices below
  };
  /// A declaration whose generation follows the axes that reach it.
  struct Target {
    DeclIR *ir;
    std::vector<unsigned> axes;
  };

  std::string diagText;
  llvm::raw_string_ostream diagStream{diagText};
  std::unique_ptr<Compilation> comp;
  Sema *sema = nullptr;
  DiagEngine *diags = nullptr;
  std::unique_ptr<IRGen> irgen;
  std::unique_ptr<IntervalEval> intervals;
  const SweepIR *sweep = nullptr;
  uint64_t base = 0;
  std::vector<Axis> axes;
  std::vector<DepKey> rules;
  std::vector<DeclInfo *> rewrites;
  std::vector<Target> targets;
  llvm::StringMap<std::vector<unsigned>> reaching;
  std::vector<unsigned> none;
  /// Per-commit "already done" marks for rules, rewrites and targets.
  std::vector<unsigned> rewriteMark, targetMark;
  unsigned epoch = 0;
  size_t analyzedGraph = ~size_t(0);
  bool stale = true; ///< an axis was pinned or a reference changed

  DeclInfo *findQualified(llvm::StringRef name) const;
  void analyze();
  bool commit(std::string &why, bool checks);
  /// Rules skipped by unchecked commits, run by the next checked one.
  std::vector<unsigned> pendingRules;
  std::vector<char> isPending;
  bool fail(std::string &why, const std::string &where) {
    why = where + ": " +
          (diags->firstError().empty() ? "invalid value" : diags->firstError());
    return false;
  }
};

DeclInfo *Instantiator::Impl::findQualified(llvm::StringRef name) const {
  auto [first, level] = name.split('.');
  DeclInfo *d = sema->findDecl(first);
  if (!d || level.empty())
    return d;
  for (DeclInfo *l : d->levels)
    if (l->name == level)
      return l;
  return nullptr;
}

void Instantiator::Impl::analyze() {
  const DependencyGraph &g = sema->dependencies();
  llvm::DenseSet<DepKey> pinned;
  for (const Axis &a : axes)
    if (a.pinned)
      pinned.insert({a.decl, a.field});
  // Who references whom, to carry reach up from a memory to its design.
  std::vector<DeclInfo *> all;
  for (DeclInfo *d : sema->decls()) {
    all.push_back(d);
    all.insert(all.end(), d->levels.begin(), d->levels.end());
  }
  llvm::DenseMap<DeclInfo *, llvm::SmallVector<DeclInfo *, 2>> referrers;
  for (DeclInfo *d : all)
    for (DeclInfo *t : sema->referencedDecls(*d))
      referrers[t].push_back(d);

  llvm::DenseMap<DepKey, unsigned> ruleIndex;
  llvm::DenseMap<DeclInfo *, unsigned> rewriteIndex, targetIndex;
  rules.clear();
  rewrites.clear();
  targets.clear();
  for (auto &r : reaching)
    r.second.clear();
  for (unsigned ai = 0; ai < axes.size(); ++ai) {
    Axis &a = axes[ai];
    a.fields.clear();
    a.rules.clear();
    a.rewrites.clear();
    a.targets.clear();
    DepKey root{a.decl, a.field};
    llvm::DenseSet<DepKey> seen{root};
    llvm::SmallPtrSet<DeclInfo *, 8> touched{a.decl};
    std::vector<DepKey> work{root};
    while (!work.empty()) {
      DepKey k = work.back();
      work.pop_back();
      for (DepKey r : g.readersOf(k)) {
        if (!seen.insert(r).second || pinned.count(r))
          continue;
        if (DependencyGraph::rule(r)) {
          auto [it, added] = ruleIndex.insert({r, unsigned(rules.size())});
          if (added)
            rules.push_back(r);
          a.rules.push_back(it->second);
          continue;
        }
        a.fields.push_back(r);
        touched.insert(r.first);
        work.push_back(r);
      }
    }
    for (DeclInfo *d : touched) {
      auto [it, added] = rewriteIndex.insert({d, unsigned(rewrites.size())});
      if (added)
        rewrites.push_back(d);
      a.rewrites.push_back(it->second);
    }
    // Content reach: a level's network, and whatever references a reached
    // declaration (a chip through its memory, a design through everything).
    llvm::SmallPtrSet<DeclInfo *, 16> reached;
    std::vector<DeclInfo *> up(touched.begin(), touched.end());
    while (!up.empty()) {
      DeclInfo *d = up.back();
      up.pop_back();
      if (!reached.insert(d).second)
        continue;
      if (d->parent)
        up.push_back(d->parent);
      for (DeclInfo *x : referrers.lookup(d))
        up.push_back(x);
    }
    for (DeclInfo *d : reached) {
      reaching[Sema::qualifiedName(*d)].push_back(ai);
      DeclIR *ir = irgen->find(*d);
      if (!ir)
        continue;
      auto [it, added] = targetIndex.insert({d, unsigned(targets.size())});
      if (added)
        targets.push_back({ir, {}});
      targets[it->second].axes.push_back(ai);
      a.targets.push_back(it->second);
    }
  }
  // Rule indices changed: whatever was pending, recheck every rule.
  bool hadPending = !pendingRules.empty();
  pendingRules.clear();
  isPending.assign(rules.size(), 0);
  if (hadPending)
    for (unsigned r = 0; r < rules.size(); ++r) {
      pendingRules.push_back(r);
      isPending[r] = 1;
    }
  rewriteMark.assign(rewrites.size(), 0);
  targetMark.assign(targets.size(), 0);
  analyzedGraph = g.size();
  stale = false;
}

bool Instantiator::Impl::commit(std::string &why, bool checks) {
  diags->resetErrors();
  if (stale || analyzedGraph != sema->dependencies().size())
    analyze();
  llvm::SmallVector<unsigned, 8> changed;
  for (unsigned i = 0; i < axes.size(); ++i)
    if (axes[i].changed)
      changed.push_back(i);
  if (changed.empty() && (!checks || pendingRules.empty()))
    return true;
  ++epoch;
  bool referenceChanged = false;
  for (unsigned i : changed) {
    Axis &a = axes[i];
    llvm::Optional<Value> v = sema->coerceValue(*a.decl, *a.field, a.value);
    if (!v)
      return fail(why, a.name + " = " + a.value.str());
    a.decl->values[a.field->path] = std::move(*v);
    a.decl->failed.erase(a.field->path);
    referenceChanged |= a.field->type == FieldType::Ref;
  }
  for (unsigned i : changed)
    for (DepKey k : axes[i].fields) {
      const FieldSchema *f = DependencyGraph::field(k);
      k.first->values.erase(f->path);
      k.first->failed.erase(f->path);
    }
  for (unsigned i : changed)
    for (DepKey k : axes[i].fields) {
      const FieldSchema *f = DependencyGraph::field(k);
      if (!sema->fieldValue(*k.first, f->path, k.first->nameRange))
        return fail(why, Sema::qualifiedName(*k.first) + "." + f->path.str());
    }
  // An unchecked commit (a prefix of a point whose deeper axes still hold
  // older values) leaves the CHECK rules for the next checked one.
  for (unsigned i : changed)
    for (unsigned r : axes[i].rules)
      if (!isPending[r]) {
        isPending[r] = 1;
        pendingRules.push_back(r);
      }
  if (checks) {
    for (unsigned r : pendingRules)
      // The rule's message names the declaration and the values.
      if (!sema->recheck(*rules[r].first, *DependencyGraph::rule(rules[r]))) {
        why = diags->firstError();
        return false; // kept pending: the next checked commit retries
      }
    for (unsigned r : pendingRules)
      isPending[r] = 0;
    pendingRules.clear();
  }
  for (unsigned i : changed)
    for (unsigned w : axes[i].rewrites)
      if (rewriteMark[w] != epoch) {
        rewriteMark[w] = epoch;
        irgen->rewrite(*rewrites[w]);
      }
  for (unsigned i : changed)
    for (unsigned t : axes[i].targets) {
      if (targetMark[t] == epoch)
        continue;
      targetMark[t] = epoch;
      uint64_t h = base;
      for (unsigned ax : targets[t].axes)
        h = mix(h, mix(ax, axes[ax].hash));
      targets[t].ir->generation = h ? h : 1;
    }
  for (unsigned i : changed)
    axes[i].changed = false;
  // A new reference target changes who reaches what.
  stale |= referenceChanged;
  return true;
}

Instantiator::Instantiator() : impl(std::make_unique<Impl>()) {}
Instantiator::~Instantiator() = default;

std::unique_ptr<Instantiator>
Instantiator::create(const FrontendOptions &opts, llvm::StringRef path,
                     llvm::StringRef sweepName, std::string &error) {
  std::unique_ptr<Instantiator> inst(new Instantiator());
  Impl &m = *inst->impl;
  FrontendOptions o = opts;
  o.errorLimit = 0; // a long sweep must never run into the limit
  m.comp = std::make_unique<Compilation>(o, m.diagStream);
  m.sema = &m.comp->sema();
  m.diags = &m.comp->diags();
  m.sema->trackDependencies(true);
  if (!m.comp->run(path)) {
    m.diagStream.flush();
    llvm::StringRef first = llvm::StringRef(m.diagText).split('\n').first;
    error = first.empty() ? "'" + path.str() + "' does not compile" : first.str();
    return nullptr;
  }
  Module &module = *m.comp->mutableModule();
  m.sweep = module.findSweep(sweepName);
  if (!m.sweep || !m.sweep->design) {
    error = "no sweep '" + sweepName.str() + "' over a design in '" +
            path.str() + "'";
    return nullptr;
  }
  m.diags->setQuiet(true);
  m.irgen = std::make_unique<IRGen>(*m.sema, module);
  for (const SweepAxis &s : m.sweep->axes) {
    Impl::Axis a;
    a.decl = m.findQualified(s.decl);
    a.field = a.decl ? kindSchema(a.decl->kind).findField(s.field) : nullptr;
    if (!a.field) {
      error = "sweep axis '" + s.decl + "." + s.field + "' names no field";
      return nullptr;
    }
    a.name = s.decl + "." + s.field;
    if (auto it = a.decl->values.find(s.field); it != a.decl->values.end()) {
      a.value = it->second;
      a.hash = hashValue(a.value);
    }
    m.axes.push_back(std::move(a));
  }
  static std::atomic<uint64_t> instances{0};
  m.base = mix(0x6a09e667f3bcc909ULL, ++instances);
  m.analyze();
  std::vector<DepKey> axisFields;
  for (const Impl::Axis &a : m.axes)
    axisFields.push_back({a.decl, a.field});
  m.intervals = std::make_unique<IntervalEval>(*m.sema, std::move(axisFields));
  return inst;
}

const Module &Instantiator::module() const {
  return *impl->comp->module();
}
const SweepIR &Instantiator::sweep() const { return *impl->sweep; }
const DesignIR &Instantiator::design() const { return *impl->sweep->design; }

void Instantiator::set(unsigned axis, const Value &v) {
  Impl::Axis &a = impl->axes[axis];
  if (a.pinned && !a.changed && sameValue(a.value, v))
    return;
  a.value = v;
  a.hash = hashValue(v);
  a.changed = true;
  if (!a.pinned) {
    // From now on the field is the axis's, not its expression's: it depends
    // on nothing and is no longer a default.
    a.pinned = true;
    impl->stale = true;
    a.decl->defaulted.erase(a.field->path);
    if (DeclIR *ir = impl->irgen->find(*a.decl))
      ir->defaulted.erase(a.field->path);
  }
}

bool Instantiator::commit(std::string &why, bool checks) {
  return impl->commit(why, checks);
}

llvm::Optional<Value> Instantiator::field(llvm::StringRef qualified) {
  Sema &sema = *impl->sema;
  auto follow = [&](DeclInfo &d, const FieldSchema &f) -> DeclInfo * {
    auto v = sema.fieldValue(d, f.path, d.nameRange);
    return v ? sema.findDecl(v->text) : nullptr;
  };
  DeclInfo *decl = nullptr;
  const FieldSchema *f = nullptr;
  if (!sema.walkQualified(qualified, follow, decl, f))
    return llvm::None;
  return sema.fieldValue(*decl, f->path, decl->nameRange);
}

const std::vector<unsigned> &
Instantiator::axesReaching(llvm::StringRef decl) const {
  auto it = impl->reaching.find(decl);
  return it == impl->reaching.end() ? impl->none : it->second;
}

std::vector<Instantiator::Dependent>
Instantiator::dependentsOf(unsigned axis) const {
  std::vector<Dependent> out;
  for (const DepKey &k : impl->axes[axis].fields)
    if (const FieldSchema *f = DependencyGraph::field(k))
      out.push_back({k.first->kind,
                     Sema::qualifiedName(*k.first) + "." + f->path.str(),
                     f->path});
  return out;
}

Interval Instantiator::fieldInterval(
    llvm::StringRef qualified,
    const std::function<Interval(unsigned axis)> &axisIv) {
  return impl->intervals->field(qualified, axisIv);
}
