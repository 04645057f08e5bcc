#!/usr/bin/env python3
"""Prototype of the DeepStack collective-communication model (DESIGN.md section 6.4).

Two stages:
  1. algorithm  -> a list of steps; a step is a set of flows (src rank, dst rank, payload bytes)
  2. contention -> each step costs
         max over flows  ( sum of hop latencies on the route
                           + one packet store-and-forward time at every intermediate node
                           + per-message overhead )
       + max over links  ( wire bytes crossing the link (data + ACKs of the reverse traffic)
                           / link bandwidth )
     Steps that depend on data received in the previous step (all-reduce, all-gather,
     reduce-scatter) add up whole; steps that do not (all-to-all pairwise) pay their
     bandwidth term one after the other but the latency only once (they pipeline).

A topology is nodes and directed links.  switch(k) is a centre node with one link per port in
each direction; switch(a)/switch(b) is b leaf switches of a ranks under one second-level switch.
ring/torus/mesh are built too (dimension-ordered routing) so the schema can grow; there are no
reference rows for them yet.

Reads the reference CSVs (default: data/reference/collectives/ of this repo), prints one line
per row, then per file: plain MAPE, time-weighted error (sum|p-m| / sum m) and max error.
The equations and every constant are justified in docs/notes/collectives-model.md.

Usage: python3 tools/prototypes/collectives_model.py [--dir DIR] [--uplink full|single]
         [--inter-switch-latency NS] [--ack-bytes B] [--overhead NS] [--quiet]
"""
import argparse
import csv
import math
import os
import re
import sys
from collections import defaultdict

# ---------------------------------------------------------------- global constants
GiB = 2 ** 30                 # link_GiBps is in GiB/s (README)
PACKET_BYTES = 1024           # packet on the wire (README)
HEADER_BYTES = 36             # header per packet (README): 988 B payload per packet
ACK_BYTES = 64                # one minimum Ethernet frame of ACK per data packet, sent back
                              # on the reverse link (charged in proportion to data bytes)
INTER_SWITCH_LATENCY_NS = 1024.0  # latency of a switch-to-switch link (leaf <-> spine);
                              # the CSV has only the rank-link hop latency.  Inferred from the
                              # 2-level rows, see the note (the one number taken from the data).
MESSAGE_OVERHEAD_NS = 0.0     # fixed per-message overhead: the single-switch rows leave no room
UPLINK = 'full'               # 'full': a switch's uplink carries (ranks below it) x link
                              # (non-blocking); 'single': one link's bandwidth


def wire_bytes(payload):
    """payload plus a header per packet of at most PACKET_BYTES - HEADER_BYTES payload."""
    if payload <= 0:
        return 0.0
    return payload + HEADER_BYTES * math.ceil(payload / (PACKET_BYTES - HEADER_BYTES))


# ---------------------------------------------------------------- topology
class Network:
    """Directed links (u, v) -> (bytes per ns, latency ns); route(s, d) -> list of links."""

    def __init__(self, nranks):
        self.nranks = nranks
        self.links = {}
        self._route = None

    def add_pair(self, u, v, bw, lat):
        self.links[(u, v)] = (bw, lat)
        self.links[(v, u)] = (bw, lat)

    def route(self, s, d):
        return self._route(s, d)


def parse_shape(shape):
    lv = []
    for m in re.finditer(r'(\w+)\(([\d,\s]+)\)', shape):
        lv.append((m.group(1), [int(x) for x in m.group(2).split(',')]))
    if not lv:
        raise ValueError('cannot parse shape %r' % shape)
    return lv


def build_network(shape, bw, hop_ns, uplink=None, inter_switch_ns=None):
    uplink = uplink or UPLINK
    inter_switch_ns = INTER_SWITCH_LATENCY_NS if inter_switch_ns is None else inter_switch_ns
    lv = parse_shape(shape)
    kinds = {k for k, _ in lv}
    if kinds == {'switch'}:
        return _switch_tree(lv, bw, hop_ns, uplink, inter_switch_ns)
    if len(lv) == 1 and lv[0][0] in ('ring', 'torus', 'mesh'):
        return _grid(lv[0][0], lv[0][1], bw, hop_ns)
    raise ValueError('shape %r: only switch hierarchies and a single ring/torus/mesh level' % shape)


def _switch_tree(lv, bw, hop_ns, uplink, inter_switch_ns):
    n = math.prod(a[0] for _, a in lv)
    net = Network(n)
    parent = {}
    below = {r: 1 for r in range(n)}          # ranks under each node
    cur = list(range(n))
    for li, (_, (k,)) in enumerate(lv):
        if len(cur) % k:
            raise ValueError('level %d: %d nodes not divisible by %d' % (li, len(cur), k))
        nxt = []
        for g in range(len(cur) // k):
            sw = 'S%d.%d' % (li, g)
            below[sw] = 0
            for c in cur[g * k:(g + 1) * k]:
                if li == 0:                           # rank <-> its switch
                    net.add_pair(c, sw, bw, hop_ns)
                else:                                 # switch <-> switch
                    ub = bw * (below[c] if uplink == 'full' else 1)
                    net.add_pair(c, sw, ub, inter_switch_ns)
                parent[c] = sw
                below[sw] += below[c]
            nxt.append(sw)
        cur = nxt

    def route(s, d):                                  # up to the lowest common switch, down
        up_s = [s]
        while up_s[-1] in parent:
            up_s.append(parent[up_s[-1]])
        up_d = [d]
        while up_d[-1] in parent:
            up_d.append(parent[up_d[-1]])
        common = set(up_d)
        i = next(i for i, x in enumerate(up_s) if x in common)
        j = up_d.index(up_s[i])
        nodes = up_s[:i + 1] + up_d[:j][::-1]
        return list(zip(nodes[:-1], nodes[1:]))

    net._route = route
    return net


def _grid(kind, dims, bw, hop_ns):
    """ring(n) / torus(a,b,..) / mesh(a,b,..): ranks are nodes, first coordinate fastest,
    dimension-ordered routing; ring and torus take the shorter way (ties: + direction)."""
    n = math.prod(dims)
    net = Network(n)
    wrap = kind in ('ring', 'torus')

    def coords(r):
        c = []
        for a in dims:
            c.append(r % a)
            r //= a
        return c

    def rank(c):
        r = 0
        for a, x in zip(reversed(dims), reversed(c)):
            r = r * a + x
        return r

    for r in range(n):
        c = coords(r)
        for i, a in enumerate(dims):
            if a == 1 or (not wrap and c[i] == a - 1):
                continue
            c2 = list(c)
            c2[i] = (c[i] + 1) % a
            if rank(c2) != r:
                net.add_pair(r, rank(c2), bw, hop_ns)

    def route(s, d):
        c, cd = coords(s), coords(d)
        path = []
        for i, a in enumerate(dims):
            while c[i] != cd[i]:
                fwd = (cd[i] - c[i]) % a
                step = 1 if (not wrap and cd[i] > c[i]) or (wrap and fwd <= a - fwd) else -1
                nxt = list(c)
                nxt[i] = (c[i] + step) % a
                path.append((rank(c), rank(nxt)))
                c = nxt
        return path

    net._route = route
    return net


# ---------------------------------------------------------------- stage 1: algorithms
# A schedule is a list of (flows, dependent); flows = [(src, dst, payload_bytes)].
def _log2(n):
    L = int(round(math.log2(n)))
    if 2 ** L != n:
        raise ValueError('%d ranks: halving/doubling needs a power of two' % n)
    return L


def schedule(collective, algorithm, n, S):
    """S: per-rank buffer (all-reduce, reduce-scatter input), per-rank contribution
    (all-gather) or per-destination chunk (all-to-all), as in the reference CSVs."""
    st = []
    if collective == 'all_gather':
        if algorithm in ('halving_doubling', 'recursive_doubling'):
            for k in range(_log2(n)):                       # exchange what you hold
                st.append(([(r, r ^ (1 << k), S * (1 << k)) for r in range(n)], True))
        elif algorithm == 'ring':
            st += [([(r, (r + 1) % n, S) for r in range(n)], True)] * (n - 1)
        elif algorithm == 'direct':
            st.append(([(r, d, S) for r in range(n) for d in range(n) if d != r], True))
        else:
            raise ValueError(algorithm)
    elif collective == 'reduce_scatter':
        if algorithm in ('halving_doubling', 'recursive_halving', 'recursive_doubling'):
            for k in range(_log2(n)):
                st.append(([(r, r ^ (1 << k), S / (2 << k)) for r in range(n)], True))
        elif algorithm == 'ring':
            st += [([(r, (r + 1) % n, S / n) for r in range(n)], True)] * (n - 1)
        elif algorithm == 'direct':
            st.append(([(r, d, S / n) for r in range(n) for d in range(n) if d != r], True))
        else:
            raise ValueError(algorithm)
    elif collective == 'all_reduce':
        if algorithm in ('rabenseifner', 'halving_doubling'):
            L = _log2(n)
            rs = [([(r, r ^ (1 << k), S / (2 << k)) for r in range(n)], True) for k in range(L)]
            st = rs + rs[::-1]                              # reduce-scatter, mirror all-gather
        elif algorithm == 'recursive_doubling':
            st = [([(r, r ^ (1 << k), S) for r in range(n)], True) for k in range(_log2(n))]
        elif algorithm == 'ring':
            st = [([(r, (r + 1) % n, S / n) for r in range(n)], True)] * (2 * (n - 1))
        elif algorithm == 'double_binary_tree':
            st = _double_binary_tree(n, S)
        else:
            raise ValueError(algorithm)
    elif collective == 'all_to_all':
        if algorithm in ('direct', 'pairwise'):
            # pairwise exchange: step i sends the chunk for r^i (r+i for odd n); no step waits
            # for data of another, so the steps pipeline (latency paid once)
            pw = (lambda r, i: r ^ i) if n & (n - 1) == 0 else (lambda r, i: (r + i) % n)
            st = [([(r, pw(r, i), S) for r in range(n)], False) for i in range(1, n)]
        else:
            raise ValueError(algorithm)
    else:
        raise ValueError(collective)
    return st


def _double_binary_tree(n, S):
    """Two complementary binary trees, each reducing then broadcasting half of the buffer,
    pipelined in packets: one concurrent phase whose latency is 2 x depth path latencies
    (returned as a marker the evaluator understands).  Not checked against data."""
    def tree(shift):
        par = {}
        order = [(i + shift) % n for i in range(n)]
        for i in range(1, n):
            par[order[i]] = order[(i - 1) // 2]
        return par
    flows = []
    depth = int(math.ceil(math.log2(n + 1)))
    for par in (tree(0), tree(n // 2 if n > 1 else 0)):
        for c, p in par.items():
            flows.append((c, p, S / 2))     # reduce
            flows.append((p, c, S / 2))     # broadcast
    return [(flows, ('tree', 2 * depth))]


# ---------------------------------------------------------------- stage 2: contention
def step_cost(net, flows, ack_bytes, overhead_ns):
    """(latency part, bandwidth part) of one step."""
    load = defaultdict(float)
    lat = 0.0
    for s, d, p in flows:
        if p <= 0 or s == d:
            continue
        path = net.route(s, d)
        w = wire_bytes(p)
        for (u, v) in path:
            load[(u, v)] += w
            load[(v, u)] += w * ack_bytes / PACKET_BYTES     # ACKs against the data
        first = min(w, PACKET_BYTES)                          # store-and-forward of a packet
        fl = sum(net.links[l][1] for l in path) \
            + sum(first / net.links[l][0] for l in path[1:]) + overhead_ns
        lat = max(lat, fl)
    ser = max((b / net.links[l][0] for l, b in load.items()), default=0.0)
    return lat, ser


def predict(row, uplink=None, inter_switch_ns=None, ack_bytes=ACK_BYTES,
            overhead_ns=MESSAGE_OVERHEAD_NS):
    bw = float(row['link_GiBps']) * GiB / 1e9                 # bytes per ns
    h = float(row['hop_latency_ns'])
    net = build_network(row['shape'], bw, h, uplink, inter_switch_ns)
    n = int(row['ranks'])
    if n != net.nranks:
        raise ValueError('ranks=%d but shape %s has %d' % (n, row['shape'], net.nranks))
    S = float(row['payload_bytes'])
    coll, alg = row['collective'], row['algorithm']
    if alg == 'auto':
        cands = {'all_reduce': ['rabenseifner', 'ring', 'recursive_doubling', 'double_binary_tree'],
                 'all_gather': ['halving_doubling', 'ring'],
                 'reduce_scatter': ['halving_doubling', 'ring'],
                 'all_to_all': ['direct']}[coll]
        best = None
        for a in cands:
            try:
                t = predict(dict(row, algorithm=a), uplink, inter_switch_ns, ack_bytes, overhead_ns)
            except ValueError:
                continue
            best = t if best is None else min(best, t)
        return best
    total, pipelined_lat = 0.0, 0.0
    for flows, kind in schedule(coll, alg, n, S):
        lat, ser = step_cost(net, flows, ack_bytes, overhead_ns)
        if kind is True:                 # depends on the previous step
            total += lat + ser
        elif kind is False:              # independent: bandwidth in sequence, latency once
            total += ser
            pipelined_lat = max(pipelined_lat, lat)
        else:                            # ('tree', k): packet-pipelined tree
            total += kind[1] * lat + ser
    return total + pipelined_lat


# ---------------------------------------------------------------- driver
FILES = ['switch_allgather.csv', 'switch_allreduce.csv', 'switch_alltoall.csv']


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dir', default=os.path.join(here, '..', '..', 'data', 'reference', 'collectives'))
    ap.add_argument('--uplink', choices=['full', 'single'], default=UPLINK)
    ap.add_argument('--inter-switch-latency', type=float, default=INTER_SWITCH_LATENCY_NS,
                    help='ns per switch-to-switch link; "0" or a negative value = use hop_latency_ns')
    ap.add_argument('--ack-bytes', type=float, default=ACK_BYTES)
    ap.add_argument('--overhead', type=float, default=MESSAGE_OVERHEAD_NS)
    ap.add_argument('--quiet', action='store_true', help='summary lines only')
    ap.add_argument('files', nargs='*', help='CSV files (default: the three switch_*.csv in --dir)')
    a = ap.parse_args()
    files = a.files or [os.path.join(a.dir, f) for f in FILES]
    summary = []
    for path in files:
        rows = list(csv.DictReader(open(path)))
        errs, sm, sabs = [], 0.0, 0.0
        if not a.quiet:
            print('# %s' % os.path.basename(path))
            print('%-20s %5s %-11s %-16s %5s %5s %11s %13s %13s %8s' % (
                'shape', 'ranks', 'collective', 'algorithm', 'GiBps', 'hop', 'payload',
                'measured_ns', 'predicted_ns', 'err%'))
        for i, r in enumerate(rows, 2):
            try:
                p = predict(r, a.uplink,
                            a.inter_switch_latency if a.inter_switch_latency > 0 else float(r['hop_latency_ns']),
                            a.ack_bytes, a.overhead)
            except (ValueError, KeyError) as e:
                sys.exit('%s:%d: cannot evaluate row: %s' % (path, i, e))
            m = float(r['measured_ns'])
            e = (p - m) / m * 100
            errs.append((abs(e), e, r, m, p))
            sm += m
            sabs += abs(p - m)
            if not a.quiet:
                print('%-20s %5s %-11s %-16s %5s %5s %11s %13.0f %13.0f %+8.2f' % (
                    r['shape'], r['ranks'], r['collective'], r['algorithm'], r['link_GiBps'],
                    r['hop_latency_ns'], r['payload_bytes'], m, p, e))
        mape = sum(x[0] for x in errs) / len(errs)
        worst = max(errs, key=lambda x: x[0])
        summary.append((path, len(errs), mape, 100 * sabs / sm, worst[0]))
        if not a.quiet:
            print()
    for path, n, mape, tw, mx in summary:
        print('validate: %s rows=%d mape=%.2f%% max=%.2f%% time-weighted=%.2f%%' % (
            os.path.basename(path), n, mape, mx, tw))


if __name__ == '__main__':
    main()
