#!/usr/bin/env bash
# `vblk bench` of two source trees (old and new: two commits built side by side, `git worktree add`) over
# ROUNDS rounds, which tree runs first alternating per round, then bench/scripts/trees.py on the results:
# per-cell ratios new / old, the noise of a tree against itself (A/A), and an interval over rounds. With
# AMPLIFIED=K, the new tree does some per-request work K + 1 times where the old one does it once, and
# trees.py also gives each cell's cost of doing it once (see docs/performance.md, "Settled by amplification").
# Usage: [AMPLIFIED=K] bench/scripts/trees.sh ROUNDS OUT_DIR OLD_TREE NEW_TREE [BENCH_ARGS...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="$1"; out="$2"; old="$(cd "$3" && pwd)"; new="$(cd "$4" && pwd)"; shift 4
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
