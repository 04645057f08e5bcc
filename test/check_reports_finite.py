#!/usr/bin/env python3
"""Walks the JSON of every report the shipped files produce and fails on a
NaN, an infinity or a negative number (temperatures in Celsius, keys ending
in _C, excepted): the design report and the network report of every example
with a design, the chip report of every library chip, and the search of
every example sweep small enough to run in a test (the 10^14-point one is
searched by its own benchmark). New files are picked up by glob.

Usage: check_reports_finite.py DEEPSTACK SOURCE_ROOT
Prints one line per report walked and a summary."""
import glob, json, math, os, re, subprocess, sys

ds, root = sys.argv[1], sys.argv[2]
examples = os.path.join(root, 'examples')
failures, walked = 0, 0
MAX_SWEPT_POINTS = 100000

def fail(msg):
    global failures
    failures += 1
    print('FAIL:', msg)

def bad_number(x, path):
    if isinstance(x, dict):
        return next((r for k, v in x.items() for r in [bad_number(v, path + '.' + k)] if r), None)
    if isinstance(x, list):
        return next((r for v in x for r in [bad_number(v, path + '[]')] if r), None)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        if not math.isfinite(x) or (x < 0 and not path.endswith('_C')):
            return '%s = %r' % (path, x)
    return None

def run(args):
    return subprocess.run([ds] + args + ['-I', examples, '--show-diag-kind'],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def walk(label, args):
    """Runs a command that must succeed and walks its JSON."""
    global walked
    p = run(args)
    if p.returncode != 0:
        fail('%s: exit %d: %s' % (label, p.returncode, p.stderr.strip()))
        return None
    try:
        # NaN and Infinity are not JSON; Python reads them, the walk flags them.
        doc = json.loads(p.stdout)
    except ValueError as e:
        fail('%s: not JSON (%s)' % (label, e))
        return None
    bad = bad_number(doc, '')
    if bad:
        fail('%s: %s' % (label, bad))
    walked += 1
    print('walked', label)
    return doc

rel = lambda f: os.path.relpath(f, root)
files = sorted(glob.glob(os.path.join(examples, '*.ds')) + glob.glob(os.path.join(root, 'lib', '*', '*.ds')))
for f in files:
    p = run(['report', f, '--emit=json'])
    if p.returncode == 1 and '[NothingToReport]' in p.stderr:
        pass  # a memory, model or network file: reported through the chips and designs using it
    elif p.returncode == 1 and '[ChooseDesign]' in p.stderr and 'memories' in p.stderr:
        # A file of memories: each one alone, at its controller.
        for name in re.findall(r'^\s*memory\s+(\w+)', open(f).read(), re.M):
            walk('memory report %s %s' % (rel(f), name),
                 ['report', f, '--emit=json', '--design=' + name])
    elif p.returncode == 1 and '[ChooseDesign]' in p.stderr:
        fail('%s declares several designs or chips; teach this test to report each' % rel(f))
    else:
        doc = walk('report ' + rel(f), ['report', f, '--emit=json'])
        if doc and doc.get('schema') == 'deepstack-report':
            walk('network report ' + rel(f), ['report', f, '--emit=json', '--component=network'])
            walk('chip report ' + rel(f), ['report', f, '--emit=json', '--component=chip'])
    if re.search(r'^\s*sweep\s', open(f).read(), re.M):
        c = run(['sweep', f, '--count'])
        if c.returncode != 0:
            fail('sweep --count %s: exit %d: %s' % (rel(f), c.returncode, c.stderr.strip()))
        elif int(c.stdout.split()[0]) <= MAX_SWEPT_POINTS if c.stdout.split()[0].isdigit() else False:
            walk('sweep ' + rel(f), ['sweep', f, '--emit=json', '--quiet', '-j2'])
print('reports: %d walked, %d failures' % (walked, failures))
sys.exit(1 if failures else 0)
