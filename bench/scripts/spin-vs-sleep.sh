#!/usr/bin/env bash
# What event-loops.spin buys: `vblk bench` with the loops of both processes sleeping at once (--spin 0s)
# against the default 50us spin, aio + sfq, 4 KiB randread and randwrite at 1 and 32 in flight on 1 and 8
# devices, RUNS alternating pairs (bench/scripts/alternate.sh).
# Usage: bench/scripts/spin-vs-sleep.sh [RUNS] [DURATION] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-3}"; duration="${2:-3s}"; out="${3:-$root/results/bench/spin-vs-sleep}"
exec "$root/bench/scripts/alternate.sh" "$runs" "$out" sleep "--spin 0s" spin "--spin 50us" \
  --mode aio --policy sfq --outstanding 1,32 --rw randread,randwrite --devices 1,8 --duration "$duration"
