#!/usr/bin/env python3
"""Mutation test of the driver: mutants of the examples (truncations, token
swaps, deleted and duplicated tokens, byte flips, huge or degenerate
numbers), made from a fixed seed, go through `deepstack report` or
`deepstack sweep --count` on standard input. Each must exit 0 or 1 - never a signal or another code - and every
exit 1 must print a `<stdin>:LINE:COL: error:`. A report that is printed
must hold only finite numbers, and no negative one but temperatures in C.

Usage: mutate_examples.py DEEPSTACK EXAMPLES_DIR SEED COUNT [JOBS]
Prints one summary line; each failure first, with the mutant kept beside
the script's output so it can be rerun."""
import json, math, os, random, re, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

ds, examples, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
jobs = int(sys.argv[5]) if len(sys.argv) > 5 else os.cpu_count() or 2

# (example, the commands its mutants go through, taken in turn): designs
# are reported; a sweep's space is counted (expansion of dependent axes,
# 128-bit sizes) and, where the file has its own design, reported too.
REPORT = ['report', '-', '--emit=json']
COUNT = ['sweep', '-', '--count']
SOURCES = [('flagship.ds', [REPORT]), ('hbm_baseline.ds', [REPORT]),
           ('moe_ep.ds', [REPORT]), ('sweep_dse.ds', [COUNT]),
           ('dse-2.5e14.ds', [REPORT, COUNT])]
TOKEN = re.compile(rb'[A-Za-z_][A-Za-z_0-9]*|[0-9][0-9.eE+-]*|"[^"\n]*"|//[^\n]*|\S')
HUGE = [b'1e308', b'1e309', b'1e-320', b'0', b'0.0', b'-1', b'-0', b'1e400',
        b'99999999999999999999999999999', b'18446744073709551616',
        b'9223372036854775807', b'4294967296', b'2147483648', b'1e18',
        b'0.000000001', b'1e-30', b'65536', b'1e12']
LOCATED = re.compile(r'^<stdin>:\d+:\d+: error: ', re.M)

def mutate(rng, text):
    toks = [m for m in TOKEN.finditer(text)]
    kind = rng.randrange(7)
    if kind == 0:  # truncation
        return b'truncate', text[:rng.randrange(len(text) + 1)]
    if kind == 1:  # swap two tokens
        a, b = sorted(rng.sample(range(len(toks)), 2))
        ta, tb = toks[a], toks[b]
        return b'swap', (text[:ta.start()] + tb.group() + text[ta.end():tb.start()]
                         + ta.group() + text[tb.end():])
    if kind == 2:  # replace a token with another from the file
        t, o = rng.choice(toks), rng.choice(toks)
        return b'replace', text[:t.start()] + o.group() + text[t.end():]
    if kind == 3:  # delete or duplicate a token
        t = rng.choice(toks)
        mid = b'' if rng.random() < 0.5 else t.group() + b' ' + t.group()
        return b'delete-dup', text[:t.start()] + mid + text[t.end():]
    if kind == 4:  # flip 1-4 bytes to any value
        b = bytearray(text)
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return b'flip', bytes(b)
    # kinds 5, 6: huge or degenerate numbers (the most common mutant: the
    # models' arithmetic is where a NaN or an overflow would hide)
    nums = [t for t in toks if t.group()[:1].isdigit()]  # not in comments
    out, last = [], 0
    picked = sorted(rng.sample(nums, min(len(nums), rng.randint(1, 3))),
                    key=lambda m: m.start())
    for m in picked:
        out += [text[last:m.start()], rng.choice(HUGE)]
        last = m.end()
    out.append(text[last:])
    return b'number', b''.join(out)

def bad_number(x, path=''):
    if isinstance(x, dict):
        for k, v in x.items():
            r = bad_number(v, path + '.' + k)
            if r:
                return r
    elif isinstance(x, list):
        for v in x:
            r = bad_number(v, path)
            if r:
                return r
    elif isinstance(x, float) or isinstance(x, int) and not isinstance(x, bool):
        if not math.isfinite(x) or (x < 0 and not path.endswith('_C')):
            return '%s = %r' % (path, x)
    return None

def run(job):
    i, name, args, kind, text = job
    p = subprocess.run([ds] + args + ['-I', examples],
                       input=text, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = p.stderr.decode('utf-8', 'replace')
    why = None
    if p.returncode not in (0, 1):
        why = 'exit %d' % p.returncode
    elif p.returncode == 1 and not LOCATED.search(err):
        why = 'exit 1 without a located error'
    elif p.returncode == 0 and args[0] == 'report':
        try:
            why = bad_number(json.loads(p.stdout, parse_constant=lambda c: float(c)))
        except ValueError as e:
            why = 'report is not JSON (%s)' % e
    if why is None:
        return None
    keep = os.path.join(tempfile.gettempdir(), 'mutant-%d-%d.ds' % (seed, i))
    with open(keep, 'wb') as f:
        f.write(text)
    return '%s mutant %d of %s (%s): %s\n  rerun: %s %s -I %s < %s\n%s' % (
        why, i, name, kind.decode(), keep, ds, ' '.join(args), examples, keep,
        '\n'.join(err.splitlines()[-3:]))

rng = random.Random(seed)
texts = [(n, a, open(os.path.join(examples, n), 'rb').read()) for n, a in SOURCES]
mutants = []
for i in range(count):
    name, commands, text = texts[i % len(texts)]
    kind, m = mutate(rng, text)
    mutants.append((i, name, commands[i // len(texts) % len(commands)], kind, m))
failures = 0
with ThreadPoolExecutor(jobs) as pool:
    for r in pool.map(run, mutants):
        if r:
            failures += 1
            if failures <= 20:
                print('FAIL:', r)
print('mutants: %d runs, %d failures' % (count, failures))
sys.exit(1 if failures else 0)
