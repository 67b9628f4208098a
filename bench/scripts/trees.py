"""Reads OUT/old-N.json and OUT/new-N.json (bench/scripts/trees.sh) and prints, per cell, the ratio new / old
of IOPS (median over rounds and each round's), the A/A ratios of each tree's consecutive runs (new-1 and new-2
end round 1 and start round 2; old-2 and old-3 likewise), and over all cells a 95 % interval taken over rounds:
a run's luck is shared by its cells, so rounds are the independent units.
With K (NEW_TREE was built to do some per-request work K + 1 times where OLD_TREE does it once), each cell's
cost of doing it once. The model: each repetition adds the same time to an I/O, so a cell's IOPS ratio r gives
one repetition a cost of (1/r - 1)/K of the I/O's time, and doing it once keeps 1 / (1 + that) of the IOPS.
Its one-sided 95 % lower bound takes r's log mean down by t * sd / sqrt(rounds), sd pooled over the cells and t
with rounds - 1 degrees of freedom (the rounds, not the cells, are independent). The bounds hold cell by cell,
not for all cells at once. Usage: trees.py OUT_DIR [K]"""
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
# consecutive runs of one tree: new ends odd rounds and starts even ones, old ends even rounds and starts odd ones
for t, pairs in (('new', zip(rounds[0::2], rounds[1::2])), ('old', zip(rounds[1::2], rounds[2::2]))):
    for a, b in pairs:
        for k in keys:
            aa[k].append(math.log(runs[(t, b)][k]['iops'] / runs[(t, a)][k]['iops']))
n = len(rounds)
sd = math.sqrt(sum((x - st.mean(v)) ** 2 for v in ab.values() for x in v) / (len(keys) * (n - 1)))
print(f"{'cell':28} | new/old median | per round{'':{max(0, 6 * n - 10)}} | A/A")
for k in keys:
    print(f"{name(k):28} | {math.exp(st.median(ab[k])):14.3f} | {' '.join(f'{math.exp(x):5.2f}' for x in ab[k])} | "
          f"{' '.join(f'{math.exp(x):.2f}' for x in aa[k])}")
meds = [math.exp(st.median(ab[k])) for k in keys]
print(f'geometric mean of the per-cell medians {math.exp(st.mean(map(math.log, meds))):.3f}; '
      f'{sum(m >= 0.95 for m in meds)} of {len(keys)} cells at 0.95 or above; lowest {min(meds):.3f}')
per_round = [st.mean(ab[k][j] for k in keys) for j in range(n)]

def t_quantile(p, df):
    """Student's t quantile (0.975 or 0.95) for df degrees of freedom: a table to 10, then Cornish-Fisher's
    expansion, good to 0.01 there."""
    table = {0.975: [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23],
             0.95: [6.31, 2.92, 2.35, 2.13, 2.02, 1.94, 1.89, 1.86, 1.83, 1.81]}
    if df <= 10:
        return table[p][df - 1]
    z = {0.975: 1.960, 0.95: 1.645}[p]
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)


half = t_quantile(0.975, n - 1) * st.stdev(per_round) / math.sqrt(n)
mean = st.mean(per_round)
print(f"rounds' means over all cells: {' '.join(f'{math.exp(x):.3f}' for x in per_round)}; mean {math.exp(mean):.3f}, "
      f"95 % interval over rounds {math.exp(mean - half):.3f}-{math.exp(mean + half):.3f}")
allaa = [x for v in aa.values() for x in v]
if allaa:
    print(f'A/A: sd of a pair\'s log ratio {st.pstdev(allaa):.3f}, ratios {math.exp(min(allaa)):.2f}-{math.exp(max(allaa)):.2f}; '
          f'new / old per pair: sd {sd:.3f}')
if amplified:
    t1 = t_quantile(0.95, n - 1)
    once = lambda m: 1 / (1 + (math.exp(-m) - 1) / amplified)
    print(f'\ndoing the work once, from {amplified + 1} times against 1 (pooled sd per pair {sd:.3f}, one-sided t {t1}):')
    print('| cell | backend CPU µs/I/O | ratio | once, estimated | its one-sided 95 % lower bound |')
    print('|---|---|---|---|---|')
    for k in keys:
        m = st.mean(ab[k])
        cpu = st.median(runs[('old', i)][k]['backend_cpu_s_per_mio'] for i in rounds)
        print(f'| {name(k)} | {cpu:.1f} | {math.exp(m):.3f} | {once(m):.4f} | {once(m - t1 * sd / math.sqrt(n)):.4f} |')
    means = [st.mean(ab[k]) for k in keys]
    print(f'all cells: once {once(st.mean(means)):.4f}; lowest estimate {once(min(means)):.4f}, '
          f'lowest bound {once(min(means) - t1 * sd / math.sqrt(n)):.4f}')
