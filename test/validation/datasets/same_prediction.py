"""Prints 'same prediction' when a design report's STPS (JSON) equals the
predicted column of the validation row whose leading fields are argv[3]."""
import json
import math
import sys

stps = json.load(open(sys.argv[1]))["metrics"]["stps"]
want = sys.argv[3].split()
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) > len(want) + 3 and f[1:1 + len(want)] == want:
        predicted = float(f[len(want) + 2])
        ok = math.isclose(predicted, stps, rel_tol=1e-6, abs_tol=1e-3)
        print("same prediction" if ok else f"differ: report {stps}, validate {predicted}")
        sys.exit(0)
print("row not found")
