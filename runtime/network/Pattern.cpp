//===- Pattern.cpp - Route a collective's flows onto the fabric's links ---===//
//
// Every step of a schedule is routed flow by flow on the fabric, and each
// hop adds the flow's load (and the ACKs' on the reverse link) to its link
// in the step's bucket. An aligned group is routed once and its loads
// scaled by the translates that share each link; when every flow of every
// step is a translate of rank 0's on a translation-invariant fabric, one
// flow a step is routed; identical steps are routed once and repeated. The
// loads then become deduplicated, undominated link classes, ready for
// pricing (PatternPrice.cpp).
//
//===----------------------------------------------------------------------===//
#include "runtime/network/Pattern.h"

#include "llvm/ADT/DenseMap.h"
#include <algorithm>
#include <cmath>
#include <tuple>

using namespace ds;
using namespace ds::net;

namespace {
void addCandidate(llvm::SmallVectorImpl<LatencyCandidate> &set,
                  LatencyCandidate c) {
  for (const LatencyCandidate &o : set)
    if (o.latency >= c.latency && o.storeForward >= c.storeForward)
      return;
  set.erase(std::remove_if(set.begin(), set.end(),
                           [&](const LatencyCandidate &o) {
                             return o.latency <= c.latency &&
                                    o.storeForward <= c.storeForward;
                           }),
            set.end());
  set.push_back(c);
}

bool sameCandidates(const LatencyTerm &a, const LatencyTerm &b) {
  if (a.fraction != b.fraction || a.hops != b.hops ||
      a.candidates.size() != b.candidates.size())
    return false;
  for (size_t i = 0; i < a.candidates.size(); ++i)
    if (a.candidates[i].latency != b.candidates[i].latency ||
        a.candidates[i].storeForward != b.candidates[i].storeForward)
      return false;
  return true;
}

/// Accumulates per-link loads of the routed flows.
class Router {
public:
  Router(const Fabric &f, Group g, const GroupShape &shape, Pattern &out)
      : f_(f), g_(g), out_(out),
        ackRatio_(f.spec().ack / f.spec().packet) {
    out.aligned = shape.dims.front().level >= 0 && !hasNearestPorts();
    out.groups = f.devices() / g.size;
    if (out.aligned) {
      // Base digits: outside the group's; a link is shared by the
      // translates along base digits it does not depend on.
      multBelow_.assign(f.levels() + 1, 1);
      multAt_.assign(f.levels(), 1);
      for (unsigned d = 0; d < f.digits(); ++d) {
        bool inGroup = f.weight(d) >= g.stride &&
                       f.weight(d) < g.stride * g.size;
        if (inGroup)
          continue;
        unsigned l = f.levelOfDigit(d);
        multAt_[l] *= f.radix(d);
        for (unsigned k = l + 1; k <= f.levels(); ++k)
          multBelow_[k] *= f.radix(d);
      }
      bases_.push_back(0);
    } else {
      int64_t span = g.stride * g.size;
      for (int64_t hi = 0; hi < f.devices(); hi += span)
        for (int64_t lo = 0; lo < g.stride; ++lo)
          bases_.push_back(hi + lo);
    }
  }

  /// Every step can use full symmetry: each flow of the step is a
  /// translate of rank 0's, so one flow is routed and its hops are spread
  /// evenly over the links of their class.
  void decideSymmetry(const StepPlan &plan, const GroupShape &shape) {
    full_ = out_.aligned && f_.translationInvariant();
    for (const CommPhase &ph : plan.phases)
      for (const Step &st : ph.steps)
        full_ = full_ && symmetricStep(st, shape);
  }

  void step(const Step &s, uint32_t bucket, LatencyTerm &term) {
    bucket_ = bucket;
    if (full_) {
      int64_t dst = s.rule.partner(0) * g_.stride;
      energyScale_ = double(f_.devices()); // every device sends one flow
      flow(s, 0, dst, term);
      return;
    }
    energyScale_ = out_.aligned ? double(out_.groups) : 1.0;
    // Identical steps (e.g. the 2(g-1) of a ring) are routed once.
    bool memo = s.rule.kind != FlowRule::List;
    MemoKey key{s.rule.kind, s.rule.arg, s.rule.weight, s.rule.radix,
                s.onlyLevel};
    if (memo) {
      for (Memo &m : memos_)
        if (m.key == key) {
          // Loads are added once per bucket at the end, times the repeats.
          if (m.repeats.empty() || m.repeats.back().first != bucket_)
            m.repeats.push_back({bucket_, 0});
          ++m.repeats.back().second;
          out_.bucketEnergy[bucket_] += m.energy;
          for (const LatencyCandidate &c : m.candidates)
            addCandidate(term.candidates, c);
          return;
        }
      recording_ = &memos_.emplace_back();
      recording_->key = key;
    }
    double energyBefore = out_.bucketEnergy[bucket_];
    for (int64_t base : bases_) {
      if (s.rule.kind == FlowRule::List) {
        for (auto [a, b] : s.rule.list)
          flow(s, base + a * g_.stride, base + b * g_.stride, term);
        continue;
      }
      for (int64_t r = 0; r < g_.size; ++r) {
        int64_t p = s.rule.partner(r);
        if (p != r && p < g_.size)
          flow(s, base + r * g_.stride, base + p * g_.stride, term);
      }
    }
    if (recording_) {
      recording_->energy = out_.bucketEnergy[bucket_] - energyBefore;
      recording_->candidates = term.candidates;
      recording_ = nullptr;
    }
  }

  /// Turns the per-link loads into deduplicated, undominated classes.
  void finish() {
    finishing_ = true;
    for (const Memo &m : memos_)
      for (auto [bucket, times] : m.repeats) {
        bucket_ = bucket;
        for (auto [link, load] : m.loads)
          add(link, load * times);
      }
    for (Slot &sl : slots_) { // repeats were added out of bucket order
      llvm::sort(sl.load);
      size_t k = 0;
      for (size_t i = 0; i < sl.load.size(); ++i) {
        if (k && sl.load[k - 1].first == sl.load[i].first)
          sl.load[k - 1].second += sl.load[i].second;
        else
          sl.load[k++] = sl.load[i];
      }
      sl.load.resize(k);
    }
    std::vector<LinkClass> classes;
    classes.reserve(slots_.size());
    for (const Slot &s : slots_) {
      const LinkInfo &li = f_.link(s.link);
      LinkClass c;
      c.link = s.link;
      c.invBandwidth = 1.0 / li.bandwidth;
      for (auto [b, load] : s.load)
        c.busy.push_back({b, load * c.invBandwidth});
      classes.push_back(std::move(c));
    }
    // Equal busy times on links of different bandwidths are different
    // classes: the hottest link's bytes must not depend on which survives.
    std::sort(classes.begin(), classes.end(),
              [](const LinkClass &a, const LinkClass &b) {
                return std::tie(a.busy, a.invBandwidth) <
                       std::tie(b.busy, b.invBandwidth);
              });
    classes.erase(std::unique(classes.begin(), classes.end(),
                              [](const LinkClass &a, const LinkClass &b) {
                                return a.busy == b.busy &&
                                       a.invBandwidth == b.invBandwidth;
                              }),
                  classes.end());
    constexpr size_t kPruneLimit = 512; // quadratic; skip for huge sets
    if (classes.size() <= kPruneLimit) {
      std::vector<bool> dominated(classes.size(), false);
      for (size_t i = 0; i < classes.size(); ++i)
        for (size_t j = 0; j < classes.size() && !dominated[i]; ++j)
          if (i != j && !dominated[j] && dominates(classes[j], classes[i]))
            dominated[i] = true;
      for (size_t i = 0; i < classes.size(); ++i)
        if (!dominated[i])
          out_.classes.push_back(std::move(classes[i]));
    } else {
      out_.classes = std::move(classes);
    }
  }

private:
  struct Slot {
    uint32_t link;
    llvm::SmallVector<std::pair<uint32_t, double>, 4> load;
  };
  struct MemoKey {
    FlowRule::Kind kind;
    int64_t arg, weight, radix;
    int onlyLevel;
    bool operator==(const MemoKey &o) const {
      return kind == o.kind && arg == o.arg && weight == o.weight &&
             radix == o.radix && onlyLevel == o.onlyLevel;
    }
  };
  struct Memo {
    MemoKey key{};
    std::vector<std::pair<uint32_t, double>> loads;
    double energy = 0;
    llvm::SmallVector<LatencyCandidate, 2> candidates;
    std::vector<std::pair<uint32_t, unsigned>> repeats; ///< (bucket, times)
  };

  /// XOR partners commute with XOR translations, which map switch levels
  /// onto themselves; a shift along one group digit commutes with cyclic
  /// translations, which map switch, ring, torus and full-mesh levels.
  bool symmetricStep(const Step &st, const GroupShape &shape) const {
    if (st.rule.kind == FlowRule::Xor) {
      for (const GroupDim &d : shape.dims)
        if (f_.spec().levels[d.level].kind != TopologyKind::Switch ||
            (d.radix & (d.radix - 1)))
          return false;
      return true;
    }
    if (st.rule.kind == FlowRule::Shift)
      for (const GroupDim &d : shape.dims)
        if (d.weight == st.rule.weight && d.radix == st.rule.radix)
          return true;
    return false;
  }

  /// Loads a link carries for all groups when one group's flow crosses it.
  double multiplicity(uint32_t link) const {
    if (!out_.aligned)
      return 1;
    const LinkInfo &li = f_.link(link);
    return li.kind == LinkKind::Crossbar
               ? multBelow_[li.level] * multAt_[li.level]
               : multBelow_[li.level];
  }

  bool hasNearestPorts() const {
    for (const LevelSpec &l : f_.spec().levels)
      if (l.spread == Spread::Nearest && l.ports > 1)
        return true;
    return false;
  }

  static bool dominates(const LinkClass &a, const LinkClass &b) {
    // a >= b on every bucket b uses (missing entries are zero).
    size_t i = 0;
    for (auto [bucket, t] : b.busy) {
      while (i < a.busy.size() && a.busy[i].first < bucket)
        ++i;
      if (i == a.busy.size() || a.busy[i].first != bucket ||
          a.busy[i].second < t)
        return false;
    }
    return true;
  }

  /// One hop of a routed flow on \p link: its load on every link of the
  /// class (full symmetry) or on the link for all translated groups.
  void hop(uint32_t link, double load) {
    if (full_)
      add(f_.canonical(link), load * double(f_.devices()) / f_.classSize(link));
    else
      add(link, load * multiplicity(link));
  }

  void add(uint32_t link, double load) {
    if (recording_ && !finishing_)
      recording_->loads.push_back({link, load});
    auto [it, inserted] = slotOf_.try_emplace(link, int32_t(slots_.size()));
    if (inserted)
      slots_.push_back(Slot{link, {}});
    auto &v = slots_[it->second].load;
    if (!v.empty() && v.back().first == bucket_)
      v.back().second += load;
    else
      v.push_back({bucket_, load});
  }

  void flow(const Step &s, int64_t src, int64_t dst, LatencyTerm &term) {
    if (s.onlyLevel >= 0 && f_.lcaLevel(src, dst) != s.onlyLevel)
      return;
    path_.clear();
    f_.route(src, dst, path_);
    if (path_.empty())
      return;
    LatencyCandidate c;
    double energy = 0;
    int top = 0;
    for (size_t i = 0; i < path_.size(); ++i) {
      uint32_t l = path_[i];
      const LinkInfo &li = f_.link(l);
      hop(l, 1.0);
      hop(f_.reverse(l), ackRatio_);
      c.latency += li.latency;
      if (i)
        c.storeForward += 1.0 / li.bandwidth;
      energy += li.energyPerByte * (1.0 + ackRatio_);
      top = std::max<int>(top, li.level);
    }
    c.latency += f_.spec().levels[top].overhead;
    addCandidate(term.candidates, c);
    out_.bucketEnergy[bucket_] += energy * energyScale_;
  }

  const Fabric &f_;
  Group g_;
  Pattern &out_;
  llvm::DenseMap<uint32_t, int32_t> slotOf_;
  std::vector<Slot> slots_;
  std::vector<int64_t> bases_;
  std::vector<double> multBelow_, multAt_;
  llvm::SmallVector<uint32_t, 16> path_;
  double ackRatio_;
  uint32_t bucket_ = 0;
  bool full_ = false;
  double energyScale_ = 1;
  std::vector<Memo> memos_;
  Memo *recording_ = nullptr;
  bool finishing_ = false;
};
} // namespace

Pattern ds::net::routePattern(const Fabric &f, const StepPlan &s, Group g,
                              const GroupShape &shape) {
  Pattern out;
  Router router(f, g, shape, out);
  router.decideSymmetry(s, shape);
  for (const CommPhase &ph : s.phases) {
    PhasePattern pp;
    pp.independent = ph.independent;
    pp.firstBucket = out.bucketFraction.size();
    for (const Step &st : ph.steps) {
      // Steps of a phase moving the same fraction share a bucket.
      uint32_t bucket = pp.firstBucket;
      while (bucket < out.bucketFraction.size() &&
             out.bucketFraction[bucket] != st.fraction)
        ++bucket;
      if (bucket == out.bucketFraction.size()) {
        out.bucketFraction.push_back(st.fraction);
        out.bucketPhase.push_back(unsigned(out.phases.size()));
        out.bucketEnergy.push_back(0);
      }
      LatencyTerm term;
      term.fraction = st.fraction;
      term.hops = st.latencyHops;
      router.step(st, bucket, term);
      ++out.steps;
      if (term.candidates.empty())
        continue; // no flow (filtered out)
      if (!pp.latency.empty() && sameCandidates(pp.latency.back(), term))
        ++pp.latency.back().count;
      else if (ph.independent && !pp.latency.empty() &&
               pp.latency.back().fraction == term.fraction &&
               pp.latency.back().hops == term.hops)
        for (const LatencyCandidate &c : term.candidates)
          addCandidate(pp.latency.back().candidates, c); // max, not sum
      else
        pp.latency.push_back(std::move(term));
    }
    pp.endBucket = out.bucketFraction.size();
    out.phases.push_back(std::move(pp));
  }
  router.finish();
  return out;
}
