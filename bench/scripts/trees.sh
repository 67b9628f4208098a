#!/usr/bin/env bash
# `vblk bench` of two source trees (old and new: two commits built side by side, `git worktree add`) over
# ROUNDS rounds (an even number, so that each tree runs first as often), which tree runs first alternating per
# round, then bench/scripts/trees.py on the results: per-cell ratios new / old, the noise of a tree against
# itself (A/A), and an interval over rounds. AMPLIFIED=K tells trees.py that NEW_TREE was built by hand to do
# some per-request work K + 1 times where OLD_TREE does it once; it then also gives each cell's cost of doing
# it once (see docs/performance.md, "Settled by amplification").
# Usage: [AMPLIFIED=K] bench/scripts/trees.sh ROUNDS OUT_DIR OLD_TREE NEW_TREE [BENCH_ARGS...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="$1"; out="$2"; old="$(cd "$3" && pwd)"; new="$(cd "$4" && pwd)"; shift 4
if [ $((rounds % 2)) != 0 ] || [ "$rounds" -lt 2 ]; then
  echo "trees.sh: ROUNDS must be even and at least 2 (each tree first as often), not $rounds" >&2; exit 2
fi
mkdir -p "$out"
"$old/vblk" --version >/dev/null; "$new/vblk" --version >/dev/null   # build both, outside the timed runs
for i in $(seq "$rounds"); do
  if [ $((i % 2)) = 1 ]; then order="old new"; else order="new old"; fi
  for t in $order; do
    if [ "$t" = old ]; then tree="$old"; else tree="$new"; fi
    echo "$(date +%T) round $i of $rounds: $t ($tree), load average $(cut -d' ' -f1 /proc/loadavg)" >&2
    (cd "$tree" && ./vblk bench "$@" --quiet --out "$out/work-$t" --json "$out/$t-$i.json" >/dev/null)
  done
done
python3 "$here/trees.py" "$out" ${AMPLIFIED:+"$AMPLIFIED"}
