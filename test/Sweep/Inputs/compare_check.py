"""Checks a sweep JSON's `compare` tables: every ratio is the value over the
baseline's value, and each summary matches the groups."""
import json
import math
import sys

report = json.load(open(sys.argv[1]))
for table in report["compare"]:
    base = table["baseline"]
    lower = table["metric"] in ("tpot", "ttft", "latency", "energy_per_token",
                                "thermal.max_temperature")
    diff = table["relation"] == "difference_K"  # temperatures; else ratios
    even, tie = (0, 0.05) if diff else (1, 1e-3)
    wins = {}
    for g in table["groups"]:
        for col, v in g["values"].items():
            r = g["ratios"][col]
            b = g["values"][base]
            if v is None or b is None:
                assert r is None, (col, g)
                continue
            assert math.isclose(r, v - b if diff else v / b, rel_tol=1e-12,
                                abs_tol=1e-9), (r, v, b)
            if col != base and abs(r - even) > tie and ((r < even) if lower else (r > even)):
                wins[col] = wins.get(col, 0) + 1
    for s in table["summary"]:
        assert s["better"] == wins.get(s["value"], 0), (s, wins)
        print(f'{table["metric"]}: {len(table["groups"])} groups, ratios consistent, '
              f'{s["value"]} better in {s["better"]} of {s["compared"]}')
