//===- SweepSpace.cpp - A sweep's axes in search order --------------------===//
#include "passes/SweepSpace.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include <fmt/format.h>
#include <map>

using namespace ds;

namespace {
bool isHardware(DeclKind k) {
  return k == DeclKind::Memory || k == DeclKind::Chip ||
         k == DeclKind::Network || k == DeclKind::Level ||
         k == DeclKind::System;
}

bool readsFields(const Expr &e) {
  bool any = false;
  forEachField(e, [&](llvm::StringRef) { any = true; });
  return any;
}
} // namespace

double ds::nameCode(llvm::StringRef name) {
  // A stable, finite code of the spelling (52 bits: exact in a double).
  return double(uint64_t(llvm::hash_value(name)) >> 12);
}

double ds::numericOf(const Value &v) {
  if (v.kind == Value::Number || v.kind == Value::Bool)
    return v.num;
  return nameCode(v.text);
}

std::string SpaceSize::str() const {
  if (log10 < 0)
    return "0";
  if (overflow)
    return fmt::format("10^{:.2f}", double(log10));
  std::string digits;
  unsigned __int128 v = exact;
  do {
    digits.insert(digits.begin(), char('0' + int(v % 10)));
    v /= 10;
  } while (v);
  return digits;
}

double SpaceSize::approx() const {
  return log10 < 0 ? 0 : overflow ? std::pow(10.0, double(log10))
                                  : double(exact);
}

SweepSpace::SweepSpace(Instantiator &inst) : inst(inst), sw(&inst.sweep()) {
  unsigned n = unsigned(sw->axes.size());
  // Hardware first when no hardware axis reads a schedule-side axis.
  std::vector<unsigned> hw, rest;
  for (unsigned i = 0; i < n; ++i)
    (isHardware(sw->axes[i].declKind) ? hw : rest).push_back(i);
  bool ok = true;
  for (unsigned i : hw)
    forEachAxis(*sw->axes[i].values, [&](int a) {
      ok &= isHardware(sw->axes[a].declKind);
    });
  searchOrder = hw;
  searchOrder.insert(searchOrder.end(), rest.begin(), rest.end());
  hwLevels = unsigned(hw.size());
  if (!ok) {
    searchOrder.clear();
    for (unsigned i = 0; i < n; ++i)
      searchOrder.push_back(i);
    hwLevels = 0;
  }
  for (unsigned k = 0; k < n; ++k) {
    const Expr &e = *sw->axes[searchOrder[k]].values;
    bool reads = readsFields(e);
    forEachAxis(e, [&](int) { reads = true; });
    constant.push_back(!reads);
  }
  // refs[k] = levels < k read by any level >= k.
  std::vector<int> levelOf(n);
  for (unsigned k = 0; k < n; ++k)
    levelOf[searchOrder[k]] = int(k);
  refs.assign(n + 1, {});
  fieldsFrom.assign(n + 1, false);
  for (int k = int(n) - 1; k >= 0; --k) {
    const Expr &e = *sw->axes[searchOrder[k]].values;
    std::vector<unsigned> r = refs[k + 1];
    forEachAxis(e, [&](int a) { r.push_back(unsigned(levelOf[a])); });
    fieldsFrom[k] = fieldsFrom[k + 1] || readsFields(e);
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    r.erase(std::remove_if(r.begin(), r.end(),
                           [&](unsigned l) { return l >= unsigned(k); }),
            r.end());
    refs[k] = r;
  }
}

SpaceSize CountOps<SpaceSize>::one() {
  SpaceSize s;
  s.exact = 1;
  s.log10 = 0;
  return s;
}

SpaceSize CountOps<SpaceSize>::times(SpaceSize a, size_t n) {
  if (a.log10 < 0 || n == 0)
    return SpaceSize();
  a.log10 += std::log10((long double)n);
  unsigned __int128 limit = (unsigned __int128)1 << 126;
  if (a.overflow || a.exact > limit / n)
    a.overflow = true;
  else
    a.exact *= n;
  return a;
}

void CountOps<SpaceSize>::add(SpaceSize &a, const SpaceSize &b) {
  if (b.log10 < 0)
    return;
  if (a.log10 < 0) {
    a = b;
    return;
  }
  long double hi = std::max(a.log10, b.log10), lo = std::min(a.log10, b.log10);
  a.log10 = hi + std::log10(1 + std::pow(10.0L, lo - hi));
  a.overflow |= b.overflow;
  if (!a.overflow)
    a.exact += b.exact;
}

bool SweepSpace::count(SpaceSize &size, std::string &error) {
  PathEnv env(inst, *this);
  SubtreeCounter<SpaceSize> counter(*this, env);
  failed = -1;
  if (!counter.count(0, size)) {
    error = counter.error();
    if (counter.failed() >= 0)
      failed = int(searchOrder[counter.failed()]);
    return false;
  }
  return true;
}

PathEnv::PathEnv(Instantiator &inst, const SweepSpace &space)
    : inst(inst), space(space) {
  size_t n = space.sweep().axes.size();
  current.resize(n);
  assigned.assign(n, false);
  applied.assign(n, false);
  stamps.assign(n, 0);
  numeric.assign(n, 0);
  scratch.resize(n);
  cached.resize(n);
  haveCached.assign(n, false);
}

bool PathEnv::values(unsigned k, const std::vector<Value> *&out,
                     std::string &error) {
  if (space.constantValues(k) && haveCached[k]) {
    out = &cached[k];
    return true;
  }
  const SweepAxis &axis = space.sweep().axes[space.order()[k]];
  std::vector<Value> &into = space.constantValues(k) ? cached[k] : scratch[k];
  if (!axisValues(axis, *this, into, error))
    return false;
  haveCached[k] = space.constantValues(k);
  out = &into;
  return true;
}

void PathEnv::assign(unsigned k, const Value &v) {
  unsigned axis = space.order()[k];
  deepest = k + 1;
  Value &cur = current[axis];
  if (assigned[axis] && cur.kind == v.kind && cur.num == v.num &&
      cur.text == v.text)
    return;
  cur = v;
  assigned[axis] = true;
  applied[axis] = false;
  stamps[k] = ++clock;
  numeric[axis] = numericOf(v);
}

const Value &PathEnv::axisValue(int axis) { return current[axis]; }

llvm::Optional<Value> PathEnv::fieldValue(llvm::StringRef qualified) {
  std::string why;
  if (!commit(deepest, why))
    return llvm::None;
  return inst.field(qualified);
}

bool PathEnv::commit(unsigned levels, std::string &why) {
  unsigned n = std::min<unsigned>(levels, space.depth());
  for (unsigned k = 0; k < n; ++k) {
    unsigned axis = space.order()[k];
    if (assigned[axis] && !applied[axis]) {
      inst.set(axis, current[axis]);
      applied[axis] = true;
    }
  }
  // A prefix leaves the deeper axes at an earlier point's values, which
  // need not agree with it: only a whole point is checked.
  return inst.commit(why, /*checks=*/n == space.depth());
}

std::string PathEnv::describe(unsigned k) const {
  std::string out;
  for (unsigned l = 0; l < k && l < space.depth(); ++l) {
    const SweepAxis &a = space.sweep().axes[space.order()[l]];
    out += (out.empty() ? "" : ", ") + a.decl + "." + a.field + " = " +
           current[space.order()[l]].str();
  }
  return out;
}
