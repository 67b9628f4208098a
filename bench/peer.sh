#!/usr/bin/env bash
# Same client, several servers, one run: fio's nbd engine against nbdkit's memory plugin, qemu-nbd on a tmpfs
# file, and vblk's NBD door (RAM store, no disk model); then vblk's own frontend against vblk's backend. 4 KiB
# random read and random write at 1 and 32 in flight, loopback only. Each device is filled first (not measured);
# each run is 2 s of warm-up then --runtime; the servers rotate order each round. Prints IOPS, p50/p99 latency
# and server CPU per million I/Os, and each pair as a ratio to nbdkit. Installs fio, nbdkit, libnbd-bin and
# qemu-utils (Debian) when missing; stops every process it started.
# Usage: bench/peer.sh [--runtime 10] [--rounds 2] [--policy sfq|fifo|ioband] [--json FILE]
#                     [--servers nbdkit,qemu-nbd,vblk,vblk-pair]
set -euo pipefail
. "$(dirname "$0")/scripts/lib.sh"

runtime=10; rounds=2; policy=sfq; json=""; servers="nbdkit,qemu-nbd,vblk,vblk-pair"
while [ $# -gt 0 ]; do
  case "$1" in
    --runtime) runtime="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --policy) policy="$2"; shift 2 ;;
    --json) json="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

need fio fio
need nbdkit nbdkit
need nbdinfo libnbd-bin
need qemu-nbd qemu-utils
size=256M
results="$VBLK_WORK/results.tsv"
: > "$results"

# servers ------------------------------------------------------------------------------------------------------
nbdkit_port=$(free_port)
nbdkit -f -i 127.0.0.1 -p "$nbdkit_port" -P "$VBLK_WORK/nbdkit.pid" memory "$size" &
VBLK_PIDS+=("$!")
qemu_port=$(free_port)
truncate -s "$size" /dev/shm/vblk-peer-$$.img
qemu-nbd -f raw --persistent --shared=64 -b 127.0.0.1 -p "$qemu_port" --aio=threads "/dev/shm/vblk-peer-$$.img" &
VBLK_PIDS+=("$!")
trap 'rm -f /dev/shm/vblk-peer-$$.img; vblk_cleanup' EXIT
[[ ",$servers," == *,vblk* ]] && start_vblk peer "listen: 127.0.0.1
mode: aio
scheduler: {policy: $policy}
devices:
  - {name: d0, size: $size, store: ram}"
for _ in $(seq 50); do [ -s "$VBLK_WORK/nbdkit.pid" ] && break; sleep 0.1; done
for _ in $(seq 50); do nbdinfo --size "nbd://127.0.0.1:$qemu_port" >/dev/null 2>&1 && break; sleep 0.1; done
pid_of() {
  case "$1" in
    nbdkit) cat "$VBLK_WORK/nbdkit.pid" ;;
    qemu-nbd) pgrep -f "qemu-nbd .*-p $qemu_port" | head -1 ;;
    vblk|vblk-pair) echo "$VBLK_PID" ;;
  esac
}
uri_of() {
  case "$1" in
    nbdkit) echo "nbd://127.0.0.1:$nbdkit_port" ;;
    qemu-nbd) echo "nbd://127.0.0.1:$qemu_port" ;;
    vblk) echo "nbd://$VBLK_NBD/d0" ;;
  esac
}

# one SERVER RW DEPTH: one bounded run, appends "server rw depth iops p50us p99us cpu_s" to the results.
one() {
  local server="$1" rw="$2" depth="$3" pid cpu0 cpu1 out="$VBLK_WORK/run.json"
  pid=$(pid_of "$server")
  cpu0=$(cpu_seconds "$pid")
  if [ "$server" = vblk-pair ]; then
    printf 'load:\n  - {device: d0, processes: %s, pattern: %s, block-size: 4KiB}\n' "$depth" "$rw" > "$VBLK_WORK/load.yaml"
    "$VBLK_ROOT/vblk" load --target "$VBLK_TARGET" --config "$VBLK_WORK/load.yaml" --duration "${runtime}s" \
      --warmup 2s --quiet --json "$out" >/dev/null
  else
    timeout $((runtime + 30)) fio --name="$server" --ioengine=nbd --uri="$(uri_of "$server")" --rw="$rw" --bs=4k \
      --iodepth="$depth" --size="$size" --ramp_time=2 --runtime="$runtime" --time_based --output-format=json --output="$out" \
      >/dev/null 2>&1
  fi
  cpu1=$(cpu_seconds "$pid")
  python3 - "$server" "$rw" "$depth" "$out" "$cpu0" "$cpu1" >> "$results" <<'PY'
import json, sys
server, rw, depth, path, cpu0, cpu1 = sys.argv[1:]
d = json.load(open(path))
if server == "vblk-pair":
    t = d["total"]
    iops, p50, p99 = t["iops"], t["latency_us"]["p50"], t["latency_us"]["p99"]
else:
    j = d["jobs"][0][ "read" if rw == "randread" else "write"]
    pct = j["clat_ns"]["percentile"]
    iops, p50, p99 = j["iops"], pct["50.000000"] / 1000, pct["99.000000"] / 1000
print(server, rw, depth, round(iops), round(p50, 1), round(p99, 1), round(float(cpu1) - float(cpu0), 3), sep="\t")
PY
  tail -1 "$results" | awk -F'\t' '{ printf "  %-9s %-9s qd%-3s %9s IOPS  p50 %7s us  p99 %7s us\n", $1, $2, $3, $4, $5, $6 }' >&2
}

IFS=, read -r -a servers <<< "$servers"
# fill every server's device once (reads then read data, not holes) and warm up the JVMs: not measured
for server in "${servers[@]}"; do
  if [ "$server" = vblk-pair ]; then
    printf 'load:\n  - {device: d0, processes: 32, pattern: randwrite, block-size: 4KiB}\n' > "$VBLK_WORK/load.yaml"
    "$VBLK_ROOT/vblk" load --target "$VBLK_TARGET" --config "$VBLK_WORK/load.yaml" --duration 3s --warmup 0s \
      --quiet >/dev/null
  else
    timeout 120 fio --name=fill --ioengine=nbd --uri="$(uri_of "$server")" --rw=write --bs=1M --iodepth=8 \
      --size="$size" >/dev/null 2>&1
  fi
done
for round in $(seq "$rounds"); do
  echo "round $round of $rounds (${runtime} s per run)" >&2
  for rw in randread randwrite; do
    for depth in 1 32; do
      for i in "${!servers[@]}"; do
        one "${servers[$(( (i + round) % ${#servers[@]} ))]}" "$rw" "$depth"
      done
    done
  done
done

python3 - "$results" "$json" "$policy" "$runtime" <<'PY'
import json, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
cells = {}
for server, rw, depth, iops, p50, p99, cpu in rows:
    c = cells.setdefault((rw, int(depth)), {}).setdefault(server, {"iops": [], "p50": [], "p99": [], "cpu": []})
    for k, v in (("iops", iops), ("p50", p50), ("p99", p99), ("cpu", cpu)):
        c[k].append(float(v))
med = statistics.median
runtime = float(sys.argv[4])
servers = [s for s in ["nbdkit", "qemu-nbd", "vblk", "vblk-pair"] if s in next(iter(cells.values()))]
names = {"nbdkit": "fio->nbdkit", "qemu-nbd": "fio->qemu-nbd", "vblk": "fio->vblk NBD", "vblk-pair": "vblk load->vblk"}
print(f"\nmedians over {len(next(iter(cells.values()))['nbdkit']['iops'])} rounds; vblk policy {sys.argv[3]}; "
      "CPU = server process CPU seconds per million I/Os")
print(f"{'workload':<14} {'client->server':<16} {'IOPS':>9} {'p50 us':>8} {'p99 us':>8} {'CPU s/M':>8} {'vs nbdkit':>9}")
out = []
for (rw, depth), by in sorted(cells.items()):
    base = med(by["nbdkit"]["iops"])
    for s in servers:
        c = by[s]
        iops = med(c["iops"])
        # server CPU seconds per million I/Os, from each run's CPU and I/O count
        cpu = med([s_ / (i * runtime) * 1e6 for s_, i in zip(c["cpu"], c["iops"])])
        row = {"workload": rw, "inflight": depth, "server": names[s], "iops": round(iops),
               "p50_us": med(c["p50"]), "p99_us": med(c["p99"]), "ratio_to_nbdkit": round(iops / base, 3),
               "cpu_s_per_million": round(cpu, 2), "iops_runs": c["iops"]}
        out.append(row)
        print(f"{rw + ' qd' + str(depth):<14} {names[s]:<16} {iops:>9.0f} {row['p50_us']:>8.1f} {row['p99_us']:>8.1f} "
              f"{cpu:>8.2f} {iops / base:>9.2f}")
if sys.argv[2]:
    json.dump({"policy": sys.argv[3], "rows": out}, open(sys.argv[2], "w"), indent=2)
    print(f"json: {sys.argv[2]}")
PY
