#!/usr/bin/env python3
"""Random design spaces: the pruned search must equal the exhaustive one.

Generates COUNT random sweeps (fixed seed) over examples/flagship.ds and
test/Sweep/Inputs/design.ds -- random subsets of memory, chip, network,
schedule and workload axes, a random objective, random `require` lines,
`report top N` and sometimes a Pareto set -- and for each one checks:

  * `--exhaustive -j2`, `-j1` and `-j2` write the same CSV, byte for byte;
  * the statistics of `--exhaustive --emit=json` and of `-j1 --emit=json`
    partition the points (evaluated + pruned_bound + pruned_constraint +
    infeasible + invalid), `rejected` (evaluated, then failed a `require`)
    is within evaluated, and the exhaustive run prunes nothing;
  * `--exhaustive --emit=json` reports `"bound_violations": 0`, its ranks
    are 1..n in objective order (recomputed here from the metrics), its
    Pareto points are mutually non-dominated, and its top/pareto lists are
    the CSV's rows;
  * every run exits 0, or 1 with an `error:` line (a generated space the
    tool rejects cleanly: counted, reported, not a failure).

Prints one line per space and a summary line:
  `N spaces, R rejected, M mismatches, V violations, C crashes`.
Exits 1 when any check fails (with the failing sweep printed).

Usage: random_spaces.py DEEPSTACK SRCROOT WORKDIR [--count N] [--seed S]
                        [--max-points P] [--model-axis]
"""
import argparse
import concurrent.futures
import csv
import io
import json
import os
import random
import subprocess
import sys

TIMEOUT = 120  # seconds per run: a hang is a failure, not a stuck lit
# A workload's model as an axis (--model-axis; test/Sweep/random-spaces.test
# turns it on). Off by default so that a seed draws the spaces it drew
# before model axes could be searched correctly.
MODEL_AXIS = False


class Base:
    """The names of one design's declarations."""

    def __init__(self, path, mem, chip, links, sched, work, devices, dp):
        self.path = path        # file to import
        self.mem = mem          # memory declaration (layers, connected_layers)
        self.chip = chip        # chip declaration (clock, sram_per_core)
        self.links = links      # network level link fields
        self.sched = sched      # schedule declaration
        self.work = work        # workload declaration
        self.devices = devices  # devices of the system
        self.dp = dp            # the schedule's own dp


def bases(srcroot):
    return [
        Base(os.path.join(srcroot, "examples", "flagship.ds"), "stack3d",
             "acc3d", ["pod.board.link", "pod.rack.link"], "s", "chat", 128, 8),
        Base(os.path.join(srcroot, "test", "Sweep", "Inputs", "design.ds"),
             "mem", "acc", ["hgx8.board.link"], "sched", "chat", 8, 1),
    ]


def pick(rng, values, lo=1):
    """A random non-empty ordered subset of VALUES."""
    n = rng.randint(lo, len(values))
    chosen = set(rng.sample(range(len(values)), n))
    return [v for i, v in enumerate(values) if i in chosen]


def braces(values):
    return "{" + ", ".join(str(v) for v in values) + "}"


# Objectives: the sweep text, whether larger is better, and the same
# expression over the JSON metrics (SI units) to check the ranking.
OBJECTIVES = [
    ("maximize stps", lambda m: m["stps"]),
    ("maximize tps_per_device", lambda m: m["tps_per_device"]),
    ("minimize tpot", lambda m: m["tpot"]),
    ("maximize tokens_per_joule", lambda m: m["tokens_per_joule"]),
    ("maximize stps / devices", lambda m: m["stps"] / m["devices"]),
    ("minimize ttft", lambda m: m["ttft"]),
    ("minimize energy_per_token * devices",
     lambda m: m["energy_per_token"] * m["devices"]),
    ("maximize stps * tokens_per_joule",
     lambda m: m["stps"] * m["tokens_per_joule"]),
    ("minimize tpot + ttft / 100", lambda m: m["tpot"] + m["ttft"] / 100),
    ("maximize stps / power", lambda m: m["stps"] / m["power"]),
    ("minimize latency", lambda m: m["latency"]),
    ("minimize cost / stps", lambda m: m["cost"] / m["stps"]),
]

# Pareto sets: the sweep text and, per entry, its value over the JSON
# metrics and whether lower is better (bare time/energy/... metrics; an
# expression is maximized).
LOWER_IS_BETTER = {"tpot", "ttft", "latency", "step_time", "energy_per_token",
                   "power", "memory.used", "thermal.max_temperature", "area",
                   "cost"}


def metric(name):
    return (lambda m: m[name], name in LOWER_IS_BETTER)


PARETOS = [
    ("stps, tokens_per_joule", [metric("stps"), metric("tokens_per_joule")]),
    ("tpot, stps", [metric("tpot"), metric("stps")]),
    ("stps / devices, power, ttft",
     [(lambda m: m["stps"] / m["devices"], False), metric("power"),
      metric("ttft")]),
]


def axis_lines(rng, b):
    """Random axes over base B, in a plausible declaration order."""
    lines = []
    groups = rng.sample(["memory", "chip", "network", "schedule", "workload"],
                        rng.randint(1, 4))
    if "memory" in groups:
        lines.append(f"{b.mem}.layers in {braces(pick(rng, [4, 8, 12, 16]))};")
        r = rng.random()
        if r < 0.6:
            lines.append(f"{b.mem}.connected_layers in divisors({b.mem}.layers);")
        elif r < 0.8:
            # Connected dies above the stack height are invalid points.
            lines.append(f"{b.mem}.connected_layers in "
                         f"{braces(pick(rng, [1, 2, 4, 8]))};")
    if "chip" in groups:
        if rng.random() < 0.5:
            n = rng.randint(2, 4)
            lines.append(f"{b.chip}.clock in linspace(1.2 GHz, 2 GHz, {n});")
        else:
            lines.append(f"{b.chip}.clock in "
                         f"{braces(pick(rng, ['1.5 GHz', '1.8 GHz', '2.1 GHz']))};")
        if rng.random() < 0.5:
            lines.append(f"{b.chip}.sram_per_core in "
                         f"{braces(pick(rng, ['128 KiB', '228 KiB', '512 KiB']))};")
    if "network" in groups:
        for link in b.links:
            if rng.random() < 0.7:
                vals = (['450 GB/s', '900 GB/s', '1800 GB/s'] if "board" in link
                        else ['25 GB/s', '50 GB/s', '100 GB/s', '400 GB/s'])
                lines.append(f"{link} in {braces(pick(rng, vals))};")
    if "schedule" in groups:
        s = b.sched
        maxtp = 8
        if rng.random() < 0.5:
            lines.append(f"{s}.tp in pow2(1, {rng.choice([2, 4, 8])});")
        else:
            lines.append(f"{s}.tp in {braces(pick(rng, [1, 2, 4, 8]))};")
        lines.append(f"{s}.pp in {braces(pick(rng, [1, 2, 4]))};")
        r = rng.random()
        if r < 0.7:
            lines.append(f"{s}.dp = {b.devices} / ({s}.tp * {s}.pp);")
        elif r < 0.9:
            # Listed: combinations that do not fill the system are invalid.
            dps = [d for d in [1, 2, 4, 8, 16, 32, 64] if d <= b.devices]
            lines.append(f"{s}.dp in {braces(pick(rng, dps))};")
        r = rng.random()
        if r < 0.3:
            lines.append(f"{s}.microbatches in {braces(pick(rng, [1, 2, 4, 8]))};")
        elif r < 0.5:
            lines.append(f"{s}.microbatches = 2 * {s}.pp;")
        if rng.random() < 0.5:
            lines.append(f"{s}.overlap in "
                         f"{braces(pick(rng, ['none', 'layer', 'tile'], 2))};")
    if "workload" in groups:
        w = b.work
        r = rng.random()
        if r < 0.4:
            lines.append(f"{w}.batch in {braces(pick(rng, [1, 8, 16, 64, 256]))};")
        elif r < 0.7:
            lines.append(f"{w}.batch in pow2(1, {rng.choice([16, 64, 512])});")
        else:
            lo = rng.randint(1, 8)
            lines.append(f"{w}.batch in {lo} .. {lo + rng.randint(0, 12)};")
        if rng.random() < 0.5:
            lines.append(f"{w}.prompt in "
                         f"{braces(pick(rng, [128, 1024, 4096, 32768]))};")
        if rng.random() < 0.4:
            lines.append(f"{w}.generate in {braces(pick(rng, [64, 512, 2048]))};")
        if rng.random() < 0.2 and MODEL_AXIS:
            lines.append(f"{w}.model in {braces(pick(rng, ['llama3_8b', 'llama3_70b'], 2))};")
        if rng.random() < 0.2:
            lines.append(f"{w}.phase in {braces(pick(rng, ['decode', 'both'], 2))};")
    # Hardware first or interleaved: the search reorders axes itself.
    return lines


def requires(rng, b, axes):
    pool = [
        "require memory.used <= memory.capacity;",
        f"require tpot <= {rng.choice([10, 20, 50, 200])} ms;",
        "require thermal.max_temperature <= 95 C;",
        f"require power <= {rng.choice([500, 600, 800, 1200])} W;",
        f"require {b.work}.batch >= 8 || tpot < 8 ms;",
        f"require ttft < {b.work}.prompt * {rng.choice([100, 400])} us;",
    ]
    # On inputs only: cut before anything is evaluated.
    if any(f"{b.sched}.tp in" in l for l in axes):
        pool.append(f"require {b.sched}.tp * {b.sched}.pp <= 8;")
    return rng.sample(pool, rng.choice([0, 0, 1, 1, 2, 3]))


def make_space(rng, bs, i):
    b = rng.choice(bs)
    axes = axis_lines(rng, b)
    body = axes + requires(rng, b, axes)
    obj = None
    if rng.random() < 0.92:
        obj = rng.randrange(len(OBJECTIVES))
        body.append(OBJECTIVES[obj][0] + ";")
    body.append(f"report top {rng.randint(1, 20)};")
    par = None
    if rng.random() < 0.45 or obj is None:
        par = rng.randrange(len(PARETOS))
        body.append(f"pareto {PARETOS[par][0]};")
    text = f'import "{b.path}";\n\nsweep r{i} over d {{\n'
    text += "".join(f"  {l}\n" for l in body) + "}\n"
    return text, obj, par


def run(args, **kw):
    try:
        return subprocess.run(args, capture_output=True, text=True,
                              timeout=TIMEOUT, **kw)
    except subprocess.TimeoutExpired:
        return None


def clean_reject(p):
    return p is not None and p.returncode == 1 and "error:" in p.stderr


def dominated(a, b, par):
    """True when point b dominates point a on the Pareto entries."""
    ge = all((f(b) <= f(a)) if lower else (f(b) >= f(a))
             for f, lower in PARETOS[par][1])
    gt = any(f(b) != f(a) for f, _ in PARETOS[par][1])
    return ge and gt


def check_json(doc, obj, par, csv_text):
    """Problems in an exhaustive JSON report (empty when it is sound)."""
    bad = []
    if doc.get("schema") != "deepstack-sweep/1":
        bad.append("schema " + repr(doc.get("schema")))
    top = doc["top"]
    if [p["rank"] for p in top] != list(range(1, len(top) + 1)):
        bad.append("ranks are not 1..n")
    if obj is not None:
        text, f = OBJECTIVES[obj]
        sign = 1 if text.startswith("maximize") else -1
        vals = [sign * f(p["metrics"]) for p in top]
        for x, y in zip(vals, vals[1:]):
            if y > x + 1e-12 * abs(x):
                bad.append(f"top not in objective order: {x} then {y}")
                break
    if par is not None:
        front = [p["metrics"] for p in doc["pareto"]]
        for a in front:
            if any(dominated(a, q, par) for q in front):
                bad.append("a Pareto point is dominated by another")
                break
        for p in top:
            if not p["pareto"] and not any(dominated(p["metrics"], q, par)
                                           for q in front):
                bad.append(f"top point {p['rank']} is off the front but "
                           "no front point dominates it")
                break
    rows = list(csv.reader(io.StringIO(csv_text)))[1:]
    npareto_only = sum(1 for p in doc["pareto"] if "rank" not in p)
    if len(rows) != len(top) + npareto_only:
        bad.append(f"CSV has {len(rows)} rows, JSON {len(top)} top + "
                   f"{npareto_only} Pareto-only")
    return bad


def check_space(ds, workdir, i, text, obj, par, points):
    """Runs the five searches of space I; returns (report lines, counts)."""
    src = os.path.join(workdir, f"space{i}.ds")
    n = {"rejected": 0, "mismatches": 0, "violations": 0, "crashes": 0}
    lines = []
    out = {}
    runs = {
        "ex": ["--exhaustive", "-j2", "-o", f"space{i}.ex.csv"],
        "a": ["-j1", "-o", f"space{i}.a.csv"],
        "b": ["-j2", "-o", f"space{i}.b.csv"],
        "exjson": ["--exhaustive", "-j1", "--emit=json"],
        "ajson": ["-j1", "--emit=json"],
    }
    for name, extra in runs.items():
        args = [ds, "sweep", src, "--quiet"] + [
            os.path.join(workdir, x) if x.endswith(".csv") else x
            for x in extra]
        p = run(args)
        if p is None or p.returncode not in (0, 1) or (
                p.returncode == 1 and not clean_reject(p)):
            n["crashes"] += 1
            lines.append(f"space {i}: '{' '.join(extra)}' "
                         f"{'timed out' if p is None else 'exit %d' % p.returncode}"
                         f"\n{text}{p and p.stderr}")
            return lines, n
        if p.returncode == 1:
            n["rejected"] += 1
            lines.append(f"space {i}: rejected: "
                         f"{p.stderr.strip().splitlines()[0]}")
            return lines, n
        out[name] = p.stdout
    csvs = {}
    for k in ("ex", "a", "b"):
        path = os.path.join(workdir, f"space{i}.{k}.csv")
        with open(path, "rb") as f:
            csvs[k] = f.read()
        os.remove(path)
    same = csvs["ex"] == csvs["a"] == csvs["b"]
    if not same:
        n["mismatches"] += 1
        lines.append(f"space {i}: CSV mismatch (exhaustive / -j1 / -j2)\n{text}")
        for k in ("ex", "a", "b"):
            lines.append(f"--- {k}.csv\n{csvs[k].decode()}")
    doc = json.loads(out["exjson"])
    st = doc["stats"]
    if st["bound_violations"] != 0:
        n["violations"] += 1
        lines.append(f"space {i}: {st['bound_violations']} bound violations\n"
                     f"{text}")
    bad = check_json(doc, obj, par, csvs["ex"].decode())
    if st["pruned_bound"] != 0 or doc["points"] != str(points):
        bad.append(f"exhaustive: pruned_bound {st['pruned_bound']}, "
                   f"points {doc['points']} (--count {points})")
    pruned = json.loads(out["ajson"])
    for name, s in (("exhaustive", st), ("pruned -j1", pruned["stats"])):
        total = (s["evaluated"] + s["pruned_bound"] + s["pruned_constraint"] +
                 s["infeasible"] + s["invalid"])
        if total != points or not 0 <= s["rejected"] <= s["evaluated"]:
            bad.append(f"{name} stats do not partition the {points} "
                       f"points: {s}")
    if pruned["top"] != doc["top"] or pruned["pareto"] != doc["pareto"]:
        bad.append("pruned -j1 JSON points differ from the exhaustive ones")
    if bad:
        n["mismatches"] += 1
        lines.append(f"space {i}: exhaustive report: {'; '.join(bad)}\n{text}")
    lines.append(f"space {i}: {points} points, evaluated {st['evaluated']} "
                 f"({st['rejected']} failed a require), "
                 f"invalid {st['invalid']}, infeasible {st['infeasible']}, "
                 f"top {len(doc['top'])}, pareto {len(doc['pareto'])}"
                 f"{'' if same else ', MISMATCH'}")
    return lines, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("deepstack")
    ap.add_argument("srcroot")
    ap.add_argument("workdir")
    ap.add_argument("--count", type=int, default=25)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--max-points", type=int, default=3000)
    ap.add_argument("--model-axis", action="store_true")
    # Spaces checked at once: most of a small search's time is the driver's
    # wait for its workers, not CPU.
    ap.add_argument("--parallel", type=int, default=3)
    a = ap.parse_args()
    global MODEL_AXIS
    MODEL_AXIS = a.model_axis
    os.makedirs(a.workdir, exist_ok=True)
    rng = random.Random(a.seed)
    bs = bases(a.srcroot)
    ds = a.deepstack
    # Draw the spaces first (in order: the seed fixes them), then check them
    # concurrently and report in order.
    jobs = []  # (index, precomputed result or None, args)
    total_points = 0
    attempts = 0
    while len(jobs) < a.count:
        attempts += 1
        if attempts > a.count * 20:
            print("error: cannot generate enough small spaces")
            return 1
        i = len(jobs)
        text, obj, par = make_space(rng, bs, i)
        src = os.path.join(a.workdir, f"space{i}.ds")
        with open(src, "w") as f:
            f.write(text)
        p = run([ds, "sweep", src, "--count"])
        if p is None or p.returncode not in (0, 1) or (
                p.returncode == 1 and not clean_reject(p)):
            jobs.append((i, ([f"space {i}: --count failed\n{text}"
                              f"{p and p.stderr}"], {"crashes": 1}), None))
            continue
        if p.returncode == 1:
            jobs.append((i, ([f"space {i}: rejected: "
                              f"{p.stderr.strip().splitlines()[0]}"],
                             {"rejected": 1}), None))
            continue
        points = int(p.stdout.split()[0])
        if points > a.max_points or points < 8:
            continue  # draw another: keep the test fast and non-trivial
        total_points += points
        jobs.append((i, None, (ds, a.workdir, i, text, obj, par, points)))
    counts = {"rejected": 0, "mismatches": 0, "violations": 0, "crashes": 0}
    with concurrent.futures.ThreadPoolExecutor(max(1, a.parallel)) as pool:
        futures = [pool.submit(check_space, *args) if args else None
                   for _, _, args in jobs]
        for (i, pre, _), fut in zip(jobs, futures):
            lines, n = pre if fut is None else fut.result()
            for line in lines:
                print(line)
            for k, v in n.items():
                counts[k] += v
    print(f"{a.count} spaces, {counts['rejected']} rejected, "
          f"{counts['mismatches']} mismatches, {counts['violations']} "
          f"violations, {counts['crashes']} crashes ({total_points} points)")
    bad = counts["mismatches"] + counts["violations"] + counts["crashes"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
