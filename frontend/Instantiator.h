//===- Instantiator.h - One design point of a sweep, in place ---*- C++ -*-===//
//
// A sweep visits millions of points that differ from their neighbour in one
// or two inner fields. Re-running Sema and IRGen per point would cost about
// a millisecond; instead an Instantiator owns a private compilation of the
// sweep's file and, per point, overrides the axis fields, re-evaluates only
// the fields whose expressions (or schema defaults, or CHECK rules) read a
// changed field, and rewrites the affected IR declarations in place.
//
// Each refreshed declaration gets a content generation: a hash of the axis
// values that reach it (directly or through the declarations it
// references), so the per-thread memos keyed by (address, generation) hit
// again when a point revisits an earlier configuration.
//
// One Instantiator per thread: it is not thread-safe.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_FRONTEND_INSTANTIATOR_H
#define DEEPSTACK_FRONTEND_INSTANTIATOR_H

#include "frontend/Driver.h"
#include "ir/IR.h"
#include "ir/Interval.h"
#include "ir/Value.h"
#include "llvm/ADT/Optional.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ds {

class Instantiator {
public:
  /// Compiles \p path privately (diagnostics go to a string, never to the
  /// terminal) and finds sweep \p sweepName. Null with \p error set when the
  /// file does not compile or has no such sweep (the caller compiled it
  /// once already and reported the located errors).
  static std::unique_ptr<Instantiator> create(const FrontendOptions &opts,
                                              llvm::StringRef path,
                                              llvm::StringRef sweepName,
                                              std::string &error);
  ~Instantiator();

  const Module &module() const;
  const SweepIR &sweep() const;
  /// The design the sweep is over; its IR changes in place on commit().
  const DesignIR &design() const;

  /// Overrides axis \p axis (index into sweep().axes) with \p v, a value
  /// produced by evaluating the axis's expression. Takes effect on commit().
  void set(unsigned axis, const Value &v);

  /// Applies the overrides since the last commit: checks each new value
  /// against its field's schema (type, unit, range, whole number),
  /// re-evaluates every field that depends on a changed field, re-runs the
  /// CHECK rules of the affected declarations and rewrites their IR. False,
  /// with a one-line reason in \p why (e.g. "stack3d.connected_layers = 3
  /// must divide layers = 8"), when the point is invalid; the IR is then
  /// unspecified until the next successful commit.
  /// With \p checks false the CHECK rules are left for the next checked
  /// commit: a search applies the prefix of a point (the deeper axes still
  /// hold an earlier point's values, which may not agree with it) to read
  /// fields, and judges validity only on the whole point.
  bool commit(std::string &why, bool checks = true);

  /// The current value of a declaration's field, `decl.field` or
  /// `net.level.field` as in SweepAxis (sweep expressions read fields that
  /// are not axes, and those may depend on axes).
  llvm::Optional<Value> field(llvm::StringRef qualified);

  /// Axes whose value can change any field of declaration \p decl (by
  /// name; a level is "net.level"), directly or through fields that depend
  /// on them, including through referenced declarations (a chip's memory).
  /// Used to group axes (hardware outside, schedule inside) and to find
  /// which axes a cached quantity depends on.
  const std::vector<unsigned> &axesReaching(llvm::StringRef decl) const;

  /// A field whose value follows an axis (through its binding or default).
  struct Dependent {
    DeclKind kind;
    std::string qualified; ///< "decl.field", as field() takes it
    llvm::StringRef field; ///< the schema path: "peak.bf16"
  };
  /// Every field that changes when axis \p axis does, directly or through
  /// other fields (the CHECK rules excluded).
  std::vector<Dependent> dependentsOf(unsigned axis) const;

  /// An enclosure of field \p qualified (as field() takes it) over every
  /// point where each axis a takes a value inside axisIv(a), for bounds at a
  /// search node where only some axes are assigned. Axis fields are
  /// axisIv(a); fields no axis reaches are their current value; the others
  /// are their binding or schema default evaluated in interval arithmetic,
  /// recursively (an undecided if() is the hull of its branches).
  /// Interval::all() when the field is not a number or cannot be enclosed
  /// (strings, topologies, generators, a path through a reference field an
  /// axis may change). Reads the current point, never changes it.
  Interval fieldInterval(llvm::StringRef qualified,
                         const std::function<Interval(unsigned axis)> &axisIv);

private:
  Instantiator();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace ds

#endif
