#!/usr/bin/env python3
"""Checks of `deepstack sweep` CSV and JSON output for the lit tests.

  sweep_check.py rows CSV EXPR       EXPR (Python, over the row's columns as
                                     `r["name"]`, numbers as floats) holds on
                                     every row; prints "N rows"
  sweep_check.py header CSV METRICS_DEF AXIS...
                                     the header is rank, pareto, the axes in
                                     the order given, then every METRIC(...)
                                     of ir/Metrics.def in its order; prints
                                     "N rows, M columns"
  sweep_check.py pareto CSV M1 M2    rows marked pareto are non-dominated,
                                     unmarked ranked rows are dominated by a
                                     marked one, Pareto-only rows (empty rank)
                                     are marked and come last; prints
                                     "R ranked, P pareto, Q pareto-only"
  sweep_check.py json JSON METRICS_DEF AXIS...
                                     the JSON report's structure: schema,
                                     keys, the stats (counts >= 0 that
                                     partition the points, as `partition`;
                                     nothing cut by bound when exhaustive),
                                     each point's axes and metrics; prints
                                     "T top, P pareto"
  sweep_check.py partition JSON N    evaluated + pruned_bound +
                                     pruned_constraint + infeasible + invalid
                                     == N: no point counted twice (pruned or
                                     exhaustive); rejected (evaluated, then
                                     failed a require) <= evaluated;
                                     prints "partition of N, R rejected"

Exits 1 with a message on the first failed check.
"""
import csv
import json
import re
import sys

LOWER_IS_BETTER = {"ttft", "tpot", "latency", "step_time", "energy_per_token",
                   "power", "memory.used", "thermal.max_temperature", "area",
                   "cost"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def num(x):
    try:
        return float(x)
    except ValueError:
        return x


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        fail(f"{path} is empty")
    header = rows[0]
    for i, r in enumerate(rows[1:]):
        if len(r) != len(header):
            fail(f"row {i + 1} has {len(r)} cells, the header {len(header)}")
    return header, [dict(zip(header, map(num, r))) for r in rows[1:]]


def metric_names(path):
    with open(path) as f:
        return re.findall(r'^METRIC\("([^"]+)"', f.read(), re.M)


def better_eq(x, y, m):
    return x <= y if m in LOWER_IS_BETTER else x >= y


def dominates(b, a, ms):
    return all(better_eq(b[m], a[m], m) for m in ms) and any(
        b[m] != a[m] for m in ms)


def check_partition(s, points):
    """The stats partition the points; the rejected are among the
    evaluated."""
    total = (s["evaluated"] + s["pruned_bound"] + s["pruned_constraint"] +
             s["infeasible"] + s["invalid"])
    if total != points:
        fail(f"stats add up to {total}, not {points}: {s}")
    if not 0 <= s["rejected"] <= s["evaluated"]:
        fail(f"rejected {s['rejected']} is not within evaluated "
             f"{s['evaluated']}: {s}")


def main(argv):
    mode = argv[1]
    if mode == "rows":
        _, rows = read_csv(argv[2])
        for i, r in enumerate(rows):
            if not eval(argv[3], {"r": r}):
                fail(f"row {i + 1} fails {argv[3]}: {r}")
        print(f"{len(rows)} rows")
    elif mode == "header":
        header, rows = read_csv(argv[2])
        want = ["rank", "pareto"] + argv[4:] + metric_names(argv[3])
        if header != want:
            fail(f"header\n  {header}\nexpected\n  {want}")
        print(f"{len(rows)} rows, {len(header)} columns")
    elif mode == "pareto":
        _, rows = read_csv(argv[2])
        ms = argv[3:]
        marked = [r for r in rows if r["pareto"] == 1]
        ranked = [r for r in rows if r["rank"] != ""]
        only = [r for r in rows if r["rank"] == ""]
        if rows != ranked + only:
            fail("a Pareto-only row comes before a ranked row")
        if [r["rank"] for r in ranked] != list(range(1, len(ranked) + 1)):
            fail("ranks are not 1..n")
        for r in only:
            if r["pareto"] != 1:
                fail(f"unranked row not marked pareto: {r}")
        for r in marked:
            if any(dominates(q, r, ms) for q in marked):
                fail(f"marked row is dominated: {r}")
        for r in ranked:
            if r["pareto"] == 0 and not any(dominates(q, r, ms)
                                            for q in marked):
                fail(f"unmarked row is not dominated by the front: {r}")
        print(f"{len(ranked)} ranked, {len(marked)} pareto, "
              f"{len(only)} pareto-only")
    elif mode == "json":
        with open(argv[2]) as f:
            doc = json.load(f)
        keys = {"schema", "sweep", "design", "points", "objective", "gap",
                "exhaustive", "certified", "stats", "top", "pareto"}
        if set(doc) != keys:
            fail(f"top-level keys {sorted(doc)}")
        if doc["certified"] is not True:
            fail("a finished search is certified")
        if doc["schema"] != "deepstack-sweep/1":
            fail(f"schema {doc['schema']}")
        stats = {"evaluated", "rejected", "pruned_bound", "pruned_constraint",
                 "infeasible", "invalid", "bound_violations", "probes",
                 "corners", "seconds"}
        if set(doc["stats"]) != stats:
            fail(f"stats keys {sorted(doc['stats'])}")
        for k in stats - {"seconds"}:
            if not isinstance(doc["stats"][k], int) or doc["stats"][k] < 0:
                fail(f"stats.{k} = {doc['stats'][k]!r}")
        check_partition(doc["stats"], int(doc["points"]))
        if doc["exhaustive"] and doc["stats"]["pruned_bound"] != 0:
            fail(f"exhaustive, but pruned_bound = {doc['stats']['pruned_bound']}")
        metrics = set(metric_names(argv[3]))
        axes = set(argv[4:])
        for lst in ("top", "pareto"):
            for p in doc[lst]:
                if set(p["axes"]) != axes:
                    fail(f"{lst} point axes {sorted(p['axes'])}")
                if set(p["metrics"]) != metrics:
                    fail(f"{lst} point metrics {sorted(p['metrics'])}")
                if not isinstance(p["pareto"], bool):
                    fail(f"{lst} point 'pareto' is not a bool")
                if lst == "pareto" and not p["pareto"]:
                    fail("a point of the Pareto list is not marked pareto")
        ranks = [p["rank"] for p in doc["top"]]
        if ranks != list(range(1, len(ranks) + 1)):
            fail(f"top ranks {ranks}")
        print(f"{len(doc['top'])} top, {len(doc['pareto'])} pareto")
    elif mode == "partition":
        with open(argv[2]) as f:
            s = json.load(f)["stats"]
        check_partition(s, int(argv[3]))
        print(f"partition of {argv[3]}, {s['rejected']} rejected")
    else:
        fail(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)
