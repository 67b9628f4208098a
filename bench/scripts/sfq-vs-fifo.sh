#!/usr/bin/env bash
# What the sfq scheduler costs against fifo, end to end: `vblk bench` in aio mode, 32 requests in flight per
# device, 4 KiB randread and randwrite on 1 and 8 RAM devices, RUNS pairs of runs alternating which policy
# goes first (the machine drifts; alternating keeps the drift out of the ratio). Prints each run's IOPS per
# cell and, per cell, the median IOPS of each policy and median(sfq) / median(fifo).
# Usage: bench/scripts/sfq-vs-fifo.sh [RUNS] [DURATION] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-5}"; duration="${2:-3s}"; out="${3:-$root/results/bench/sfq-vs-fifo}"
mkdir -p "$out"
. "$root/bench/scripts/need.sh"
need jq jq
"$root/vblk" --version >/dev/null   # build once, outside the timed runs

one() { # $1 = policy, $2 = run number
  "$root/vblk" bench --mode aio --inflight 32 --rw randread,randwrite --devices 1,8 --policy "$1" \
      --duration "$duration" --quiet --out "$out" --json "$out/$1-$2.json" >/dev/null
  jq -r --arg run "$2" '.cells[] | "run \($run) \(.policy) \(.rw) x\(.devices): \(.iops | round) IOPS"' "$out/$1-$2.json"
}

for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then one fifo "$i"; one sfq "$i"; else one sfq "$i"; one fifo "$i"; fi
done

python3 - "$out" <<'PY'
import glob, json, statistics, sys
cells = {}
for f in glob.glob(sys.argv[1] + "/*-*.json"):
    for c in json.load(open(f))["cells"]:
        cells.setdefault((c["rw"], c["devices"]), {}).setdefault(c["policy"], []).append(c["iops"])
print("cell                 | runs | median fifo IOPS | median sfq IOPS | sfq / fifo")
for (rw, devs), p in sorted(cells.items()):
    f, s = statistics.median(p["fifo"]), statistics.median(p["sfq"])
    print(f"{rw:10} x{devs:<2} qd32 | {len(p['fifo']):4} | {f:16,.0f} | {s:15,.0f} | {s / f:.3f}")
PY
