//===- KernelsReference.cpp - Overlapped GEMM + collective kernels --------===//
//
// A row is one GPU of a tensor-parallel group of num_chips lib chips:
//   ag_gemm  each GPU holds M/n rows of the M x K activation; the rows of
//            the other GPUs arrive by all-gather (per-rank contribution
//            M*K*b/n = comm_bytes) while the GEMM M x N x K consumes them;
//   gemm_rs  each GPU computes a partial M x N output (its K slice); chunk
//            j of M/n rows ends on GPU j summed over all GPUs (ring
//            reduce-scatter, per-rank buffer M*N*b, comm_bytes = M*N*b/n
//            is what each GPU keeps), each hop adding on the cores.
// Both are priced like the design passes price a layer: the GEMM by the
// compute model with the DRAM at the temperature of a fully loaded chip
// (as passes/Evaluate does), the collective by the network model on the
// chip's scale-up node (the serving schema's network) plus the chip's
// kernel launch (asKernel, as overlap-scheduling charges it), the two merged
// by the tile-overlap formula of DESIGN.md 6.6 (for gemm_rs with the ring's
// adds on both the cores and the ring's chain, overlapReduceScatter).
//
//===----------------------------------------------------------------------===//
#include "passes/KernelsReference.h"

#include "passes/LibraryDesigns.h"
#include "passes/Tiling.h"
#include "passes/OverlapScheduling.h"
#include "runtime/compute/ComputeModel.h"
#include "runtime/dram/StackModel.h"
#include "runtime/network/NetworkModel.h"
#include "runtime/energy/Energy.h"
#include "runtime/thermal/Thermal.h"
#include "passes/Clock.h"
#include "runtime/validate/RowReader.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

using namespace ds;

namespace {
const char *const kKernelColumns[] = {"kernel", "chip",       "num_chips",
                                      "dtype",  "M",          "N",
                                      "K",      "comm_bytes", "measured_ms"};
const char *const kKernels[] = {"ag_gemm", "gemm_rs"};

const LibraryDesigns *library(DiagEngine &diags, llvm::SMLoc at) {
  std::string error;
  const LibraryDesigns *lib = LibraryDesigns::shared(error);
  if (!lib)
    diags.report(at, DiagKind::BadCsvValue, "chip",
                 "a library that compiles: " + error, "");
  return lib;
}

struct Kernel {
  bool allGather = true; ///< ag_gemm; else gemm_rs
  const ChipIR *chip = nullptr;
  int64_t n = 1, m = 1, nCols = 1, k = 1;
  DType dtype = DType::FP16;
  double commBytes = 0;
};

struct Prediction {
  double time = 0;    ///< s
  double compute = 0; ///< the GEMM alone
  double comm = 0;    ///< the collective alone (latency + bandwidth)
  double reduce = 0;  ///< gemm_rs: the adds of the ring, on the cores
  int64_t stages = 1; ///< W of the overlap
};

/// "" or why the row's network cannot be priced.
std::string predict(const LibraryDesigns &lib, const Kernel &q, Prediction &p) {
  const ChipIR &chip = *q.chip;
  double temperature = loadedDramTemperature(chip);
  auto dram = [&](const dram::Pattern &pat) {
    return dram::evaluateStack(*chip.memory, pat, temperature).bandwidth;
  };
  compute::GemmShape g;
  g.m = q.m;
  g.n = q.nCols;
  g.k = q.k;
  g.a = g.b = g.out = q.dtype;
  compute::OpCost gemm = compute::gemm(chip, g, dram);
  // A GEMM that fills the chip runs at the clock its power allows.
  double dramEnergy = dram::evaluateStack(*chip.memory, dram::Pattern(),
                                          temperature)
                          .energyPerByte;
  energy::OpEnergy e = energy::opEnergy(chip, gemm, q.dtype, dramEnergy);
  double clock = sustainedClock(chip, (e.total() - e.dram) / gemm.time,
                                e.dram / gemm.time);
  gemm.time = timeAtClock(gemm, clock);
  p.compute = gemm.time;

  // The same scale-up node as a serving design of these chips.
  std::string error;
  auto c = lib.compile(scaleUpNetwork(chip, q.n, "kernel_net"), error);
  if (!c)
    return error;
  const NetworkIR *nir = nullptr;
  for (const NetworkIR &x : c->module()->networks)
    if (x.name == "kernel_net")
      nir = &x;
  if (!nir)
    return "the scale-up network did not compile";
  net::NetworkModel network(net::FabricSpec::fromIR(*nir));
  // Payload convention of runtime/network/Collectives: all-gather S is the
  // per-rank contribution, reduce-scatter S the per-rank input buffer.
  // The all-gather only moves data, so any algorithm (copy engines pulling
  // from every peer) serves; the reduce-scatter adds at every hop and runs
  // as a ring (see below).
  double S = q.allGather ? q.commBytes : q.commBytes * double(q.n);
  auto cost = network.price(
      q.allGather ? net::Collective::AllGather
                  : net::Collective::ReduceScatter,
      q.allGather || q.n == 1 ? Algorithm::Auto : Algorithm::Ring,
      net::Group{q.n, 1}, S);
  if (!cost)
    return llvm::toString(cost.takeError());
  if (!q.allGather && q.n > 1) {
    // The ring's chain, but not one ring's links: the chunks spread over
    // every link the group has (NCCL and RCCL run one ring per channel, in
    // orders that cover the links; fused kernels push each chunk to its
    // owner). On a switch the two coincide; on a full mesh one ring would
    // use one link of n - 1 per GPU.
    // Direct prices wherever the ring does (one step, the same group); if
    // it ever cannot, the ring's own links stand.
    auto direct = network.price(net::Collective::ReduceScatter,
                                Algorithm::Direct, net::Group{q.n, 1}, S);
    if (!direct)
      llvm::consumeError(direct.takeError());
    else if (direct->bandwidth < cost->bandwidth) {
      cost->bandwidth = direct->bandwidth;
      cost->time = cost->latency + cost->bandwidth;
    }
  }
  // The collective as the design passes charge it (scheduleStep, tile
  // overlap included): its network price plus the chip's kernel fixed cost
  // at the clock, the start-up of the communication side before its first
  // byte moves (the copy or reduce kernels of TransformerEngine userbuffers
  // and PyTorch async TP, the communication warps' prologue in a single
  // fused kernel). Without it this schema would validate a cheaper
  // collective than the one designs are timed with. A group of one GPU
  // moves nothing and runs no collective.
  net::CollectiveCost k =
      q.n > 1 ? asKernel(*cost, chip.launch / clock) : *cost;
  p.comm = k.time;

  // Overlap stages: data moves per rank (n chunks of M/n rows), and the
  // GEMM's tiles run a wave at a time, so a stage is a whole chunk and a
  // whole wave: with one wave every core holds a tile of its own chunk
  // and the last chunk's tiles wait for their data - nothing overlaps.
  // 6.6's formula pays a first compute stage and a last transfer stage;
  // with one chunk local (ag) or kept (rs) these kernels pay only one, so
  // it errs high by at most H + L/W.
  p.stages = std::max<int64_t>(
      1, std::min<int64_t>(q.n, int64_t(std::llround(gemm.waves))));
  if (q.allGather || q.n == 1) {
    p.time = overlapTile(gemm.time, k.latency, k.bandwidth, double(p.stages));
    return "";
  }
  // gemm_rs fused as a ring (flux, TileLink, PyTorch async TP): at each of
  // the n-1 hops a GPU reads the partial chunk it received and its own
  // partial of that chunk from DRAM and forwards the sum over the link (its
  // DRAM write lands on the next GPU as the link's traffic; the last hop
  // keeps it): (2(n-1) + 1) chunks of M*N*b/n through DRAM on the cores.
  // Copy engines cannot add, so the cores do it - time the GEMM loses -
  // and each add sits between receiving a chunk and forwarding it - time
  // the ring's chain gains. The measured rows bear both out: with a deep K
  // the kernel is the GEMM plus the adds (8192 x 8192 x 3584: GEMM 0.68 ms,
  // adds 0.09 ms, measured 0.85), with a shallow K the transfer plus the
  // adds (8192 x 28672 x 1024: 1.05 + 0.30, measured 1.49).
  RingAdds adds = ringReduceScatterAdds(q.n, S, dtypeBytes(q.dtype));
  compute::OpCost sum = compute::vectorOp(chip, adds.bytes, adds.elements,
                                          dram, adds.writeFraction);
  // Fused into the kernel: no launch of its own.
  p.reduce = std::max({sum.dramTime, sum.l2Time, sum.computeTime});
  p.time = overlapReduceScatter(gemm.time, k.latency, k.bandwidth, p.reduce,
                                double(p.stages));
  return "";
}

bool kernelRow(const CsvTable &t, const CsvRow &row, DiagEngine &diags,
               ReferenceRow &out) {
  RowReader r(t, row, diags);
  const LibraryDesigns *lib = library(diags, row.loc());
  if (!lib)
    return false;
  Kernel q;
  q.allGather = r.choice("kernel", kKernels) == 0;
  std::string chipName = r.field("chip").str();
  q.chip = lib->chip(chipName);
  if (!q.chip)
    r.bad("chip", r.field("chip"),
          "a chip of lib/chips (" + lib->chipNames() + ")");
  q.n = int64_t(r.number("num_chips", RowCheck::Whole));
  q.dtype = DType(r.choice("dtype", enumInfo(EnumId::DType).spellings));
  q.m = int64_t(r.number("M", RowCheck::Whole));
  q.nCols = int64_t(r.number("N", RowCheck::Whole));
  q.k = int64_t(r.number("K", RowCheck::Whole));
  q.commBytes = r.number("comm_bytes", RowCheck::Positive);
  double measured = r.number("measured_ms", RowCheck::Positive);
  if (!r.ok())
    return false;
  // Both kernels split M into one chunk of rows per GPU.
  if (q.m % q.n) {
    r.bad("M", r.field("M"),
          fmt::format("a multiple of num_chips = {} (one chunk of rows per "
                      "GPU)",
                      q.n));
    return false;
  }
  // comm_bytes is each GPU's share of the communicated tensor; a file
  // meaning something else must not be priced as if it did.
  double b = dtypeBytes(q.dtype);
  double share =
      double(q.m) * double(q.allGather ? q.k : q.nCols) * b / double(q.n);
  if (std::fabs(q.commBytes - share) > 0.5 + 1e-9 * share) {
    r.bad("comm_bytes", r.field("comm_bytes"),
          fmt::format("M * {} * {} B ({}) / num_chips = {:.0f} (each GPU's "
                      "share of the {})",
                      q.allGather ? "K" : "N", b,
                      spelling(EnumId::DType, q.dtype).str(), share,
                      q.allGather ? "gathered activation"
                                  : "reduce-scattered output"));
    return false;
  }
  Prediction p;
  std::string why = predict(*lib, q, p);
  if (!why.empty()) {
    r.bad("num_chips", r.field("num_chips"),
          "a group the chip's scale-up network can price: " + why);
    return false;
  }
  out.line = row.line;
  out.key = fmt::format("{:<8} {:<7} {:>5} {:<5} {:>6} {:>6} {:>6} {:>11}",
                        kKernels[q.allGather ? 0 : 1], chipName, q.n,
                        spelling(EnumId::DType, q.dtype).str(), q.m, q.nCols,
                        q.k, fmt::format("{:.0f}", q.commBytes));
  out.measured = measured;
  out.predicted = p.time * 1e3;
  out.note = fmt::format("{} W={} gemm {:.3f} comm {:.3f}",
                         p.comm > p.compute ? "comm" : "compute", p.stages,
                         p.compute * 1e3, p.comm * 1e3);
  if (p.reduce > 0)
    out.note += fmt::format(" adds {:.3f}", p.reduce * 1e3);
  return true;
}

} // namespace

const ReferenceSchema &ds::kernelsReferenceSchema() {
  static const ReferenceSchema schema{
      "kernels",
      kKernelColumns,
      "kernel   chip    chips dtype      M      N      K  comm_bytes",
      "measured_ms",
      "bound (times in ms)",
      kernelRow};
  return schema;
}
