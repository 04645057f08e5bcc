//===- OverlapScheduling.h - A stage's step on the clock --------*- C++ -*-===//
//
// Pass `overlap-scheduling` (DESIGN.md 3 pass 5, 6.6): the time of one
// microbatch through one pipeline stage, given each operator's cost and
// each collective's price, under the schedule's overlap mode:
//   none   every collective after its operator, p2p included;
//   layer  collectives on the critical path; the stage-to-stage send
//          hides behind the next microbatch (its latency stays);
//   tile   a collective split into W waves with the operator it feeds or
//          drains: T = C/W + max(C(W-1)/W, H + L(W-1)/W) + H + L/W, never
//          worse than C + H + L (H latency, L bandwidth time, C compute).
// The result keeps a breakdown per operator class: compute, memory,
// exposed network.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSTACK_PASSES_OVERLAPSCHEDULING_H
#define DEEPSTACK_PASSES_OVERLAPSCHEDULING_H

#include "passes/OpGraph.h"
#include "passes/Tiling.h"
#include <array>
#include <vector>

namespace ds {

struct TimeSplit {
  double compute = 0, memory = 0, network = 0, bubble = 0; ///< s
  double total() const { return compute + memory + network + bubble; }
};

constexpr unsigned kOpClasses = 7;

struct ScheduledStep {
  double time = 0;              ///< one microbatch through one stage
  std::array<TimeSplit, kOpClasses> byClass{};
  std::vector<double> opTime;   ///< per op, all its executions, exposed
  double commTime = 0;          ///< collectives before overlap
  double commExposed = 0;       ///< collectives on the critical path
  double computeEnergy = 0;     ///< J on one device
  double networkEnergy = 0;     ///< J on all links of the system
  double flops = 0, dramBytes = 0; ///< one device
};

/// A collective priced as the kernel that runs it: its network price plus
/// the kernel fixed cost \p launch (the chip's `launch` at the clock),
/// which delays its first byte, so it joins the latency. scheduleStep
/// charges every collective so, tiled ones included, and the kernels
/// reference schema (passes/KernelsReference) prices the collective of a
/// fused GEMM kernel the same way, so that it validates the design path.
net::CollectiveCost asKernel(net::CollectiveCost cost, double launch);

/// \p comm holds one price per operator (ignored for compute operators);
/// every collective also pays the kernel \p launch of the chip (asKernel).
ScheduledStep scheduleStep(const OpGraph &g, const std::vector<TiledOp> &tiles,
                           const std::vector<net::CollectiveCost> &comm,
                           Overlap mode, int64_t microbatches, double launch);

/// The tile-overlap formula for one execution (exported for unit tests).
double overlapTile(double compute, double latency, double bandwidth,
                   double waves);

/// The least overlapTile can give for any number of waves:
/// min(h + max(c, h + l), c + h + l). Every term of overlapTile's pipeline
/// is at least c + h (the compute, then the last chunk's latency) and at
/// least 2h + l (the first chunk's latency, then every byte), and the
/// floor grows with c, h and l: it is what a relaxed evaluation charges.
double overlapFloor(double compute, double latency, double bandwidth);

/// While one is alive on a thread, designs are evaluated relaxed, as sweep
/// bounds need: tile overlap at its floor over every chunking (the waves a
/// tiling gives set the real chunking, and more cores or SRAM can mean
/// fewer, coarser chunks). A relaxed step is never longer than the real
/// one, and it is monotone in the cores and the SRAM as well as in the
/// clock, the links and the batch (test/unit/SweepMonotoneTest.cpp).
/// Throttling stays: a capped step takes its energy over the power the
/// chip sustains, and the relaxed step has the same energy.
class RelaxedScope {
public:
  RelaxedScope();
  ~RelaxedScope();
  RelaxedScope(const RelaxedScope &) = delete;
  RelaxedScope &operator=(const RelaxedScope &) = delete;

private:
  bool saved;
};
/// True inside a RelaxedScope.
bool relaxedOverlap();

/// A GEMM fused with a ring reduce-scatter of its output (DESIGN.md 6.6 for
/// a collective that adds): at every hop a GPU reads the partial chunk it
/// received and its own partial of that chunk and forwards the sum. The
/// adds run on the cores, which the GEMM then lacks, and each sits on the
/// ring's critical path between receiving a chunk and forwarding it, so the
/// time of the adds, \p reduce, lengthens both pipelines:
///   T = overlapTile(C + R, H, L + R, W).
double overlapReduceScatter(double compute, double latency, double bandwidth,
                            double reduce, double waves);

/// What the cores of one GPU stream through DRAM for the adds of a ring
/// reduce-scatter of a \p buffer of bytes over \p n GPUs: at each of the
/// n-1 hops the received chunk (buffer/n) and the GPU's own partial of it
/// are read; the sum leaves over the link (its DRAM write on the next GPU
/// is the link's), except at the last hop where it is kept. So
/// (2(n-1) + 1) chunks, of which one is written.
struct RingAdds {
  double bytes = 0;         ///< read and written by the cores
  double writeFraction = 0; ///< share of \p bytes written
  double elements = 0;      ///< additions: (n-1) chunks of elements
};
RingAdds ringReduceScatterAdds(int64_t n, double buffer, double elementBytes);

} // namespace ds

#endif
