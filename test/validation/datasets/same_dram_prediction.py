"""Runs every row of a DRAM reference file through `deepstack report
--pattern=...` on the memory of a .ds file and compares the bandwidth with
the prediction `deepstack validate` prints for that row (GB/s, 3 decimals).

usage: same_dram_prediction.py DEEPSTACK FILE.ds FILE.csv
Prints one line per differing row, then "N rows, M the same"."""
import csv
import json
import subprocess
import sys

deepstack, design, reference = sys.argv[1:4]
validate = subprocess.run([deepstack, "validate", reference], check=True,
                          capture_output=True, text=True).stdout
predicted = {}
for line in validate.splitlines():
    f = line.split()
    if f and f[0].isdigit():
        predicted[int(f[0])] = f[7]  # line pattern param req wf N measured predicted

rows = same = 0
with open(reference, newline="") as fh:
    for number, row in enumerate(csv.DictReader(fh), start=2):
        args = [deepstack, "report", design, "--emit=json",
                "--pattern=" + row["pattern"],
                "--request=" + row["request_bytes"],
                "--write-frac=" + row["write_frac"],
                "--outstanding=" + row["outstanding_per_channel"]]
        if row["pattern"] in ("stride", "rowloc", "banks"):
            args.append("--pattern-param=" + row["pattern_param"])
        if row.get("row_hit_rate", ""):
            args.append("--row-hit=" + row["row_hit_rate"])
        out = json.loads(subprocess.run(args, check=True, capture_output=True,
                                        text=True).stdout)
        got = out["memory"]["patterns"][0]["bandwidth_Bps"] / 1e9
        rows += 1
        if f"{got:.3f}" == predicted.get(number):
            same += 1
        else:
            print(f"line {number}: report {got:.3f} GB/s, validate "
                  f"{predicted.get(number)}")
print(f"{rows} rows, {same} the same")
