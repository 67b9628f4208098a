#!/usr/bin/env bash
# What the sfq scheduler costs against fifo, end to end: `vblk bench` in aio mode, 32 requests in flight per
# device, 4 KiB randread and randwrite on 1 and 8 RAM devices, RUNS alternating pairs (bench/scripts/alternate.sh).
# Usage: bench/scripts/sfq-vs-fifo.sh [RUNS] [DURATION] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-5}"; duration="${2:-3s}"; out="${3:-$root/results/bench/sfq-vs-fifo}"
exec "$root/bench/scripts/alternate.sh" "$runs" "$out" fifo "--policy fifo" sfq "--policy sfq" \
  --mode aio --outstanding 32 --rw randread,randwrite --devices 1,8 --duration "$duration"
