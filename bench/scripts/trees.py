"""Reads OUT/old-N.json and OUT/new-N.json (bench/scripts/trees.sh) and prints, per cell, the ratio new / old
of IOPS (median over rounds and each round's), the A/A ratios of each tree's adjacent runs, and over all cells a
95 % interval taken over rounds: a run's luck is shared by its cells, so rounds are the independent units.
With K (the new tree does the work K + 1 times, the old once), each cell's cost of doing it once, estimated as
the K-th root of its ratio, and that estimate's 95 % lower bound. Usage: trees.py OUT_DIR [K]"""
import glob, json, math, re, statistics as st, sys

out = sys.argv[1]
amplified = int(sys.argv[2]) if len(sys.argv) > 2 else None
runs = {}
for f in glob.glob(f'{out}/*-*.json'):
    m = re.fullmatch(r'(old|new)-(\d+)\.json', f.split('/')[-1])
    if m:
        cells = json.load(open(f))['cells']
        runs[(m[1], int(m[2]))] = {(c['mode'], c['policy'], c['rw'], c['outstanding_per_device'], c['devices']): c for c in cells}
rounds = sorted(i for t, i in runs if t == 'old' and ('new', i) in runs)
if len(rounds) < 2:
    sys.exit(f'{out}: fewer than two complete rounds')
keys = sorted(runs[('old', rounds[0])])
name = lambda k: f'{k[0]} {k[1]} {k[2]} {k[3]}x{k[4]}'
ab = {k: [math.log(runs[('new', i)][k]['iops'] / runs[('old', i)][k]['iops']) for i in rounds] for k in keys}
aa = {k: [] for k in keys}
for t in ('old', 'new'):
    for a, b in zip(rounds[0::2], rounds[1::2]):
        for k in keys:
            aa[k].append(math.log(runs[(t, b)][k]['iops'] / runs[(t, a)][k]['iops']))
n = len(rounds)
sd = math.sqrt(sum((x - st.mean(v)) ** 2 for v in ab.values() for x in v) / (len(keys) * (n - 1)))
print(f"{'cell':28} | new/old median | per round{'':{max(0, 6 * n - 9)}} | A/A")
for k in keys:
    print(f"{name(k):28} | {math.exp(st.median(ab[k])):14.3f} | {' '.join(f'{math.exp(x):5.2f}' for x in ab[k])} | "
          f"{' '.join(f'{math.exp(x):.2f}' for x in aa[k])}")
meds = [math.exp(st.median(ab[k])) for k in keys]
print(f'geometric mean of the per-cell medians {math.exp(st.mean(map(math.log, meds))):.3f}; '
      f'{sum(m >= 0.95 for m in meds)} of {len(keys)} cells at 0.95 or above; lowest {min(meds):.3f}')
per_round = [st.mean(ab[k][j] for k in keys) for j in range(n)]
t95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26}.get(n - 1, 2.0)
half = t95 * st.stdev(per_round) / math.sqrt(n)
mean = st.mean(per_round)
print(f"rounds' means over all cells: {' '.join(f'{math.exp(x):.3f}' for x in per_round)}; mean {math.exp(mean):.3f}, "
      f"95 % interval over rounds {math.exp(mean - half):.3f}-{math.exp(mean + half):.3f}")
allaa = [x for v in aa.values() for x in v]
if allaa:
    print(f'A/A: sd of a pair\'s log ratio {st.pstdev(allaa):.3f}, ratios {math.exp(min(allaa)):.2f}-{math.exp(max(allaa)):.2f}; '
          f'new / old per pair: sd {sd:.3f}')
if amplified:
    print(f'\ndoing the work once, from {amplified + 1} times against 1 (pooled sd per pair {sd:.3f}):')
    print('| cell | backend CPU µs/I/O | ratio | once, estimated | its 95 % lower bound |')
    print('|---|---|---|---|---|')
    for k in keys:
        m = st.mean(ab[k])
        cpu = st.median(runs[('old', i)][k]['backend_cpu_s_per_mio'] for i in rounds)
        print(f'| {name(k)} | {cpu:.1f} | {math.exp(m):.3f} | {math.exp(m / amplified):.4f} | '
              f'{math.exp((m - 2.0 * sd / math.sqrt(n)) / amplified):.4f} |')
    ones = [st.mean(ab[k]) for k in keys]
    print(f'all cells: once {math.exp(st.mean(ones) / amplified):.4f}; lowest estimate {math.exp(min(ones) / amplified):.4f}, '
          f'lowest bound {math.exp((min(ones) - 2.0 * sd / math.sqrt(n)) / amplified):.4f}')
