#!/usr/bin/env python3
"""Runs the examples through `report --emit=json` and every `dot` view with
seeded random --set overrides of the schedule, workload and memory, and
fails on any exit code but 0/1, an exit 1 without a located error, or a
JSON number that is NaN, infinite or (except temperatures) negative.
Usage: random_sets.py DEEPSTACK EXAMPLES_DIR SEED RUNS"""
import json, math, random, subprocess, sys

ds, examples, seed, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(seed)
designs = [('flagship.ds', 's', 'chat', 'stack3d'), ('moe_ep.ds', 'tp8_ep8', 'chat', None),
           ('hbm_baseline.ds', 'tp8', 'chat', None)]
failures = 0

def bad(msg):
    global failures
    failures += 1
    print('FAIL:', msg)

def walk(x, path, args):
    if isinstance(x, dict):
        for k, v in x.items():
            walk(v, path + '.' + k, args)
    elif isinstance(x, list):
        for v in x:
            walk(v, path, args)
    elif isinstance(x, float) and (not math.isfinite(x) or (x < 0 and not path.endswith('_C'))):
        bad('%s = %r in %s' % (path, x, ' '.join(args)))

for _ in range(runs):
    f, s, w, mem = random.choice(designs)
    sets = []
    for k, vals in [('tp', [1, 2, 4, 8, 16, 3]), ('pp', [1, 2, 4, 3, 80]), ('dp', [1, 2, 8, 16, 64]),
                    ('ep', [1, 2, 8, 16]), ('sp', [1, 2]), ('cp', [1, 2, 4]), ('microbatches', [1, 2, 7, 64])]:
        if random.random() < 0.4:
            sets.append('%s.%s=%d' % (s, k, random.choice(vals)))
    if random.random() < 0.3:
        sets.append('%s.overlap=%s' % (s, random.choice(['none', 'layer', 'tile'])))
    for k, vals in [('batch', [1, 3, 64, 4096, 100000]), ('prompt', [1, 7, 1024, 100000]),
                    ('generate', [1, 2, 1024]), ('phase', ['decode', 'prefill', 'both'])]:
        if random.random() < 0.4:
            sets.append('%s.%s=%s' % (w, k, random.choice(vals)))
    if mem and random.random() < 0.3:
        sets.append('%s.layer_capacity=%s' % (mem, random.choice(['64MiB', '1GiB', '64GiB'])))
    view = random.choice([None, None, 'system', 'chip', 'ops', 'timeline'])
    args = [ds, 'dot' if view else 'report', examples + '/' + f]
    args += ['--view=' + view] if view else ['--emit=json']
    for x in sets:
        args += ['--set', x]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if r.returncode not in (0, 1):
        bad('exit %d: %s\n%s' % (r.returncode, ' '.join(args), r.stderr[-300:]))
    elif r.returncode == 1 and 'error:' not in r.stderr:
        bad('exit 1 without an error: ' + ' '.join(args))
    elif r.returncode == 0 and not view:
        walk(json.loads(r.stdout), '', args)
print('random sets: %d runs, %d failures' % (runs, failures))
sys.exit(1 if failures else 0)
