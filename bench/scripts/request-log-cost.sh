#!/usr/bin/env bash
# Throughput with the backend's request log off and on: RAM store, no disk model, 4 KiB random reads,
# 32 requests in flight, loopback only. Alternates off/on RUNS times and prints each run's IOPS and the
# median ratio on/off. Usage: bench/scripts/request-log-cost.sh [RUNS] [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-3}"; secs="${2:-10}"
work="$(mktemp -d)"; trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/backend.yaml" <<YAML
listen: 127.0.0.1
port: 0
mode: aio
devices:
  - {name: d0, size: 1GiB, store: ram}
YAML
cat > "$work/load.yaml" <<YAML
load:
  - {device: d0, processes: 32, pattern: randread, block-size: 4KiB}
YAML
"$root/vblk" --version >/dev/null   # build once, outside the timed runs

one() { # $1 = off|on ; prints IOPS
  local extra=()
  [ "$1" = on ] && extra=(--request-log "${REQUEST_LOG:-$work/requests.jsonl}")
  "$root/vblk" backend --config "$work/backend.yaml" "${extra[@]}" >"$work/out" 2>"$work/err" &
  local pid=$!
  for _ in $(seq 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
  local target; target=$(grep -o '127.0.0.1:[0-9]*' "$work/out")
  "$root/vblk" load --target "$target" --config "$work/load.yaml" --duration "${secs}s" --warmup 2s --quiet \
      --json "$work/r.json" >/dev/null
  kill -TERM "$pid"; wait "$pid" || true
  python3 -c "import json;print(round(json.load(open('$work/r.json'))['total']['iops']))"
}

offs=(); ons=()
for i in $(seq "$runs"); do
  offs+=("$(one off)"); ons+=("$(one on)")
  echo "run $i: log off ${offs[-1]} IOPS, log on ${ons[-1]} IOPS"
done
python3 - "${offs[*]}" "${ons[*]}" <<'PY'
import sys, statistics
off = [float(x) for x in sys.argv[1].split()]; on = [float(x) for x in sys.argv[2].split()]
print(f"median off {statistics.median(off):.0f} IOPS, on {statistics.median(on):.0f} IOPS, "
      f"on/off {statistics.median(on)/statistics.median(off):.3f} (slowdown {100*(1-statistics.median(on)/statistics.median(off)):.1f}%)")
PY
