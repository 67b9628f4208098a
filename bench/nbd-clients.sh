#!/usr/bin/env bash
# vblk's NBD door against real, independently written clients: nbdinfo, qemu-img, nbdcopy and fio. Starts its
# own backends on ephemeral loopback ports, checks every step, exits 1 on the first failure. Each fio run is
# bounded by --runtime. Installs fio, libnbd-bin and qemu-utils (Debian) when missing.
#  1. nbdinfo --list and nbdinfo on each export: size and read-only flag as configured
#  2. qemu-img convert of a generated image into an export and back out, byte-identical; the same with nbdcopy
#  3. fio --ioengine=nbd random writes then reads with --verify=crc32c at iodepth 1 and 32: no verify error
#  4. two fio jobs on two exports weighted 80/20, emulated disk: aio mode splits 80/20, sync collapses to ~50/50
# Usage: bench/nbd-clients.sh [--runtime 5]
set -euo pipefail
. "$(dirname "$0")/scripts/lib.sh"

runtime=5
while [ $# -gt 0 ]; do
  case "$1" in
    --runtime) runtime="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
need fio fio
need nbdinfo libnbd-bin
need qemu-img qemu-utils

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# 1-3: one backend with a RAM disk, a file-backed disk and a read-only disk ------------------------------------
start_vblk clients "listen: 127.0.0.1
mode: aio
devices:
  - {name: ram0, size: 64MiB, store: ram}
  - {name: file0, size: 32MiB, store: "file:$VBLK_WORK/file0.img"}
  - {name: ro0, size: 16MiB, store: ram, read-only: true}"
base="nbd://$VBLK_NBD"

list=$(nbdinfo --list --json "$base")
names=$(python3 -c 'import json,sys; print(" ".join(sorted(e["export-name"] for e in json.loads(sys.argv[1])["exports"])))' "$list")
[ "$names" = "file0 ram0 ro0" ] || fail "nbdinfo --list shows '$names', expected 'file0 ram0 ro0'"
ok "nbdinfo --list: $names"
check_export() { # NAME SIZE READ_ONLY
  local info; info=$(nbdinfo --json "$base/$1")
  python3 - "$info" "$2" "$3" <<'PY' || fail "nbdinfo $base/$1 does not show size $2 and read-only $3: $info"
import json, sys
e = json.loads(sys.argv[1])["exports"][0]
sys.exit(0 if e["export-size"] == int(sys.argv[2]) and str(e["is_read_only"]).lower() == sys.argv[3] else 1)
PY
  ok "nbdinfo $1: size $2, read-only $3"
}
check_export ram0 $((64 << 20)) false
check_export file0 $((32 << 20)) false
check_export ro0 $((16 << 20)) true

head -c $((32 << 20)) /dev/urandom > "$VBLK_WORK/in.img"
qemu-img convert -n -f raw -O raw "$VBLK_WORK/in.img" "$base/file0"
qemu-img convert -f raw -O raw "$base/file0" "$VBLK_WORK/out.img"
cmp "$VBLK_WORK/in.img" "$VBLK_WORK/out.img" || fail "qemu-img round trip through file0 differs"
ok "qemu-img convert into file0 and back out: 32 MiB byte-identical"
if command -v nbdcopy >/dev/null; then
  head -c $((64 << 20)) /dev/urandom > "$VBLK_WORK/in2.img"
  nbdcopy "$VBLK_WORK/in2.img" "$base/ram0"
  nbdcopy "$base/ram0" "$VBLK_WORK/out2.img"
  cmp "$VBLK_WORK/in2.img" "$VBLK_WORK/out2.img" || fail "nbdcopy round trip through ram0 differs"
  ok "nbdcopy into ram0 and back out: 64 MiB byte-identical"
fi
qemu-img convert -n -f raw -O raw "$VBLK_WORK/in.img" "$base/ro0" 2>/dev/null \
  && fail "qemu-img wrote to the read-only export ro0"
ok "qemu-img convert into read-only ro0 is refused"

for depth in 1 32; do
  fio --name=verify --ioengine=nbd --uri="$base/ram0" --rw=randwrite --bs=4k --iodepth="$depth" --size=16M \
    --verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 --runtime="$runtime" --output-format=json \
    --output="$VBLK_WORK/verify.json" >/dev/null 2>&1 || fail "fio verify at iodepth $depth exited non-zero"
  python3 - "$VBLK_WORK/verify.json" "$depth" <<'PY' || fail "fio verify at iodepth $depth reported errors"
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
print(f"ok: fio randwrite+verify crc32c iodepth {sys.argv[2]}: {j['write']['total_ios']} writes, "
      f"{j['read']['total_ios']} verified reads, error {j['error']}")
sys.exit(0 if j["error"] == 0 and j["read"]["total_ios"] > 0 else 1)
PY
done
stop "$VBLK_PID"

# 4: the seed, with fio as the guest --------------------------------------------------------------------------
split() { # MODE LOW HIGH: two fio jobs, 128 in flight each; sda11's share of I/Os must be within [LOW, HIGH]
  start_vblk "seed-$1" "listen: 127.0.0.1
mode: $1
scheduler: {policy: ioband, depth: 32, io-throttle: 4}
disk: {service-time: 500us, parallelism: 4}
devices:
  - {name: sda11, size: 1GiB, store: ram, weight: 80}
  - {name: sda12, size: 1GiB, store: ram, weight: 20}"
  fio --ioengine=nbd --rw=randrw --bs=4k --iodepth=128 --size=1G --runtime="$runtime" --time_based \
    --output-format=json --output="$VBLK_WORK/seed-$1.json" \
    --name=sda11 --uri="nbd://$VBLK_NBD/sda11" --name=sda12 --uri="nbd://$VBLK_NBD/sda12" >/dev/null 2>&1 \
    || fail "fio seed run ($1) exited non-zero"
  stop "$VBLK_PID"
  python3 - "$VBLK_WORK/seed-$1.json" "$1" "$2" "$3" <<'PY' || fail "seed $1: sda11's share is outside [$2, $3]"
import json, sys
jobs = {j["jobname"]: j for j in json.load(open(sys.argv[1]))["jobs"]}
iops = {n: j["read"]["iops"] + j["write"]["iops"] for n, j in jobs.items()}
share = iops["sda11"] / (iops["sda11"] + iops["sda12"])
print(f"fio seed, backend {sys.argv[2]}: sda11 (weight 80) {iops['sda11']:.0f} IOPS, "
      f"sda12 (weight 20) {iops['sda12']:.0f} IOPS: {100 * share:.1f}% / {100 * (1 - share):.1f}%")
sys.exit(0 if float(sys.argv[3]) <= share <= float(sys.argv[4]) else 1)
PY
}
split aio 0.75 0.85
split sync 0.45 0.55
echo "all NBD client checks passed"
