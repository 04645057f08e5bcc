#!/usr/bin/env python3
"""Check that every diagnostic kind has a lit test that shows it.

Usage: check_diag_coverage.py SRCROOT

Reads every DIAG(Kind, ...) from SRCROOT/frontend/Diagnostics.def and looks for
"[Kind]" (the suffix --show-diag-kind prints) on a FileCheck directive line
(CHECK:, CHECK-NEXT:, FOO-SAME:, ... but not *-NOT:) of a lit test under
SRCROOT/test (*.ds and *.test files; Inputs/ and unit/ are not tests).
Tests marked XFAIL do not count: they show a kind is wanted, not that it works.

Exits 1, listing the kinds without a test, unless every kind is covered, in
ALLOWED_UNTESTED, or in KNOWN_BUGS. An entry of either list that is not a
diagnostic kind, or that a test now covers, is also an error, so the lists
stay minimal; a KNOWN_BUGS entry must name an existing XFAIL test that
expects the kind.
"""
import os
import re
import sys

# Kinds that cannot be produced from the command line, each with the reason.
# Keep this list as short as possible.
ALLOWED_UNTESTED = {
    "InternalNoValue": "a consistency check that fires only on a Sema bug",
}

# Kinds that a known bug keeps from being shown, each with the XFAIL test
# (relative to test/) that expects it. Fixing the bug and removing the XFAIL
# line makes the kind covered, and this script then asks to drop the entry.
KNOWN_BUGS = {
}

DIAG_RE = re.compile(r"^\s*DIAG\(\s*(\w+)\s*,", re.M)
# A FileCheck directive at the start of a line or of a comment: CHECK:,
# CHECK-NEXT:, FOO-DAG:, ... (prefixes are upper case by convention).
DIRECTIVE_RE = re.compile(r"(?:^|//|#|;)\s*([A-Z][A-Z0-9_]*(?:-[A-Z0-9]+)*):")
NOT_DIRECTIVES = {"RUN", "XFAIL", "REQUIRES", "UNSUPPORTED", "ALLOW_RETRIES"}
KIND_RE = re.compile(r"\[(\w+)\]")
XFAIL_RE = re.compile(r"^\s*(//|#|;)\s*XFAIL:", re.M)
TEST_SUFFIXES = (".ds", ".test")
SKIP_DIRS = {"Inputs", "unit", "fuzz"}


def diagnostic_kinds(srcroot):
    path = os.path.join(srcroot, "frontend", "Diagnostics.def")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # The header comment shows the DIAG(...) syntax; only real lines count.
    kinds = [k for k in DIAG_RE.findall(text) if k != "Kind"]
    if not kinds:
        sys.exit(f"error: no DIAG(...) entries found in {path}")
    return kinds


def checked_kinds(line):
    """Kinds a FileCheck directive on this line expects to see."""
    m = DIRECTIVE_RE.search(line)
    if not m:
        return set()
    directive = m.group(1)
    if directive in NOT_DIRECTIVES or directive.endswith("-NOT"):
        return set()
    return set(KIND_RE.findall(line[m.end():]))


def covered_kinds(testroot, script):
    covered = {}
    for dirpath, dirnames, filenames in os.walk(testroot):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not name.endswith(TEST_SUFFIXES):
                continue
            if os.path.abspath(path) == script:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            if XFAIL_RE.search(text):
                continue
            for line in text.splitlines():
                for kind in checked_kinds(line):
                    covered.setdefault(kind, os.path.relpath(path, testroot))
    return covered


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: check_diag_coverage.py SRCROOT")
    srcroot = argv[1]
    kinds = diagnostic_kinds(srcroot)
    script = os.path.abspath(__file__)
    covered = covered_kinds(os.path.join(srcroot, "test"), script)

    problems = 0
    exempt = set(ALLOWED_UNTESTED) | set(KNOWN_BUGS)
    missing = [k for k in kinds if k not in covered and k not in exempt]
    if missing:
        problems += 1
        print(f"error: {len(missing)} diagnostic kind(s) have no lit test "
              "showing '[Kind]' with --show-diag-kind:")
        for k in missing:
            print(f"  {k}")
    for name, table in (("ALLOWED_UNTESTED", ALLOWED_UNTESTED),
                        ("KNOWN_BUGS", KNOWN_BUGS)):
        stale = sorted(k for k in table if k not in kinds)
        if stale:
            problems += 1
            print(f"error: {name} names kinds not in Diagnostics.def: "
                  + ", ".join(stale))
        tested = sorted(k for k in table if k in covered)
        if tested:
            problems += 1
            print(f"error: {name} kinds now have tests; remove them: "
                  + ", ".join(f"{k} ({covered[k]})" for k in tested))
    for kind, test in sorted(KNOWN_BUGS.items()):
        path = os.path.join(srcroot, "test", test)
        text = ""
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        if not XFAIL_RE.search(text) or f"[{kind}]" not in text:
            problems += 1
            print(f"error: KNOWN_BUGS: {test} should be an XFAIL test "
                  f"expecting [{kind}]")
    if problems:
        return 1
    print(f"all {len(kinds)} diagnostic kinds covered "
          f"({len(ALLOWED_UNTESTED)} allowed untested, "
          f"{len(KNOWN_BUGS)} blocked by known bugs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
