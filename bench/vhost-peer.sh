#!/usr/bin/env bash
# vblk's vhost-user door against qemu-storage-daemon, the C back-end users would pick instead. One driver
# (VhostPeerDriver: the tests' own vhost-user front-end, woken by the back-end's call eventfd as a guest's
# interrupt handler is, or with --wait poll spinning on the used ring) keeps DEPTH requests of 4 KiB
# outstanding on one vring at random offsets, for reads and for writes, at depth 1 and 32; the two back-ends
# are run alternately, PAIRS times per cell, each from a fresh process:
#   vblk:  RAM store, no disk model, aio, the vhost-user door;
#   qsd-null: qemu-storage-daemon --blockdev null-co (read-zeroes=on, so reads fill the guest's buffers; writes
#          are dropped) --export vhost-user-blk: the C path with no storage at all, an upper bound;
#   qsd-file: qemu-storage-daemon with a raw file on tmpfs (/dev/shm, aio=io_uring): it stores the data, as
#          vblk's RAM store does.
# Prints per cell the medians of IOPS, p50 and p99 latency and the back-end's CPU per million I/Os, and the
# ratios vblk / qsd-null and vblk / qsd-file; the same as JSON lines in --json. Loopback only (unix sockets); bounded by its settings.
# Usage: bench/vhost-peer.sh [--pairs 3] [--seconds 5] [--warmup 5] [--depths "1 32"] [--wait call|poll] [--rw "read write"] [--json FILE]
set -euo pipefail
. "$(dirname "$0")/scripts/lib.sh"

pairs=3
seconds=5
warmup=5
depths="1 32"
json=""
wait=call
rws="read write"
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --depths) depths="$2"; shift 2 ;;
    --json) json="$2"; shift 2 ;;
    --wait) wait="$2"; shift 2 ;;
    --rw) rws="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
need qemu-storage-daemon qemu-system-common || exit 2

jar="$VBLK_ROOT/microbench/target/vblk-microbench.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$VBLK_ROOT/backend/src" "$VBLK_ROOT/microbench/src" -newer "$jar" -type f -print -quit)" ]; then
  echo "building the microbench jar (mvn package, tests skipped)..." >&2
  (cd "$VBLK_ROOT" && mvn -q -B -DskipTests package -pl microbench -am) >&2
fi
"$VBLK_ROOT/vblk" --version >/dev/null

results="$VBLK_WORK/results.jsonl"
: > "$results"

# run_one NAME RW DEPTH: one back-end process, one driver run against it; appends a JSON line
run_one() {
  local name="$1" rw="$2" depth="$3" sock="$VBLK_WORK/$1.sock" pid out cpu0 cpu1
  rm -f "$sock"
  if [ "$name" = vblk ]; then
    printf '%s\n' "listen: 127.0.0.1
port: 0
mode: aio
devices:
  - {name: d0, size: 1GiB, store: ram, vhost-user: {socket: \"$sock\"}}" > "$VBLK_WORK/vblk.yaml"
    "$VBLK_ROOT/vblk" backend --config "$VBLK_WORK/vblk.yaml" >"$VBLK_WORK/vblk.out" 2>"$VBLK_WORK/vblk.err" &
    pid=$!
    wait_for_line "$VBLK_WORK/vblk.out" "vhost-user d0 listening on" "$pid" >/dev/null
  else
    local blockdev="driver=null-co,node-name=disk0,size=1073741824,read-zeroes=on"
    if [ "$name" = qsd-file ]; then
      truncate -s 1G /dev/shm/vblk-peer-qsd.img
      blockdev="driver=file,node-name=disk0,filename=/dev/shm/vblk-peer-qsd.img,aio=io_uring"
    fi
    qemu-storage-daemon --blockdev "$blockdev" \
      --export "type=vhost-user-blk,id=exp0,node-name=disk0,addr.type=unix,addr.path=$sock,writable=on,num-queues=1" \
      >"$VBLK_WORK/qsd.out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
    [ -S "$sock" ] || { echo "qemu-storage-daemon did not listen: $(cat "$VBLK_WORK/qsd.out")" >&2; exit 1; }
  fi
  VBLK_PIDS+=("$pid")
  cpu0=$(cpu_seconds "$pid")
  out=$(java -XX:+UseParallelGC -cp "$jar" io.vblk.microbench.VhostPeerDriver "$sock" "$rw" "$depth" "$warmup" "$seconds" "$wait")
  cpu1=$(cpu_seconds "$pid")
  stop "$pid"
  rm -f /dev/shm/vblk-peer-qsd.img
  python3 - "$name" "$cpu0" "$cpu1" "$out" >> "$results" <<'PY'
import json, sys
name, cpu0, cpu1, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])
out["backend"] = name
out["cpu_s"] = round(cpu1 - cpu0, 3)
out["cpu_per_million"] = round((cpu1 - cpu0) / out["ios_total"] * 1e6, 2) if out["ios_total"] else None
print(json.dumps(out))
PY
  tail -1 "$results" >&2
}

for rw in $rws; do
  for depth in $depths; do
    for p in $(seq "$pairs"); do
      # alternate who goes first, so that a drift of the machine does not favour one side
      case $((p % 3)) in
        1) order="vblk qsd-null qsd-file" ;; 2) order="qsd-null qsd-file vblk" ;; *) order="qsd-file vblk qsd-null" ;;
      esac
      for b in $order; do run_one "$b" "$rw" "$depth"; done
    done
  done
done

python3 - "$results" "$pairs" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(rw, depth, backend, key):
    xs = [r[key] for r in rows if r["rw"] == rw and r["depth"] == depth and r["backend"] == backend and r[key] is not None]
    return statistics.median(xs) if xs else float("nan")
print(f"vhost-user-blk, 4 KiB random, one vring, medians of {sys.argv[2]} rotating triples (vblk, qsd-null, qsd-file)")
print(f"{'rw':6} {'depth':>5} | {'vblk':>8} {'q-null':>8} {'q-file':>8} IOPS | {'/null':>5} {'/file':>5} | "
      f"p50 {'vblk':>5} {'null':>5} {'file':>5} | p99 {'vblk':>5} {'null':>5} {'file':>5} | CPU/M {'vblk':>5} {'null':>5} {'file':>5}")
for rw in [x for x in ("read", "write") if any(r["rw"] == x for r in rows)]:
    for depth in sorted({r["depth"] for r in rows if r["rw"] == rw}):
        i = {b: med(rw, depth, b, "iops") for b in ("vblk", "qsd-null", "qsd-file")}
        p50 = {b: med(rw, depth, b, "p50_us") for b in i}
        p99 = {b: med(rw, depth, b, "p99_us") for b in i}
        cpu = {b: med(rw, depth, b, "cpu_per_million") for b in i}
        print(f"{rw:6} {depth:5d} | {i['vblk']:8.0f} {i['qsd-null']:8.0f} {i['qsd-file']:8.0f}      | "
              f"{i['vblk'] / i['qsd-null']:5.2f} {i['vblk'] / i['qsd-file']:5.2f} | "
              f"    {p50['vblk']:5.0f} {p50['qsd-null']:5.0f} {p50['qsd-file']:5.0f} | "
              f"    {p99['vblk']:5.0f} {p99['qsd-null']:5.0f} {p99['qsd-file']:5.0f} | "
              f"      {cpu['vblk']:5.1f} {cpu['qsd-null']:5.1f} {cpu['qsd-file']:5.1f}")
PY
if [ -n "$json" ]; then cp "$results" "$json"; echo "json: $json"; fi
