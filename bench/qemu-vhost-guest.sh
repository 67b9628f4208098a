#!/usr/bin/env bash
# A real QEMU guest on vblk's vhost-user door: QEMU (software emulation) boots Debian's kernel with a busybox
# initramfs and `-device vhost-user-blk-pci`, so the guest's own virtio-blk driver puts its descriptor chains
# in shared memory, and vblk pops them, serves them and fills the used ring. The guest reads the first 8 MiB
# (random bytes the host wrote), writes 4 MiB of its own after them with fsync, then runs 8 readers at once
# with O_DIRECT. The script checks the size the guest saw, both checksums against the image file, and what
# the backend had in service: at most 1 in sync mode, more than 1 in aio mode.
# Installs qemu-system-x86, linux-image-amd64, busybox-static and cpio (Debian) when missing. Loopback only;
# the guest powers off by itself and every boot is bounded by --timeout.
# Usage: bench/qemu-vhost-guest.sh [--mode sync|aio|both] [--timeout 300]
set -euo pipefail
. "$(dirname "$0")/scripts/lib.sh"
. "$(dirname "$0")/scripts/guest.sh"

timeout_s=300
modes="sync aio"
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_s="$2"; shift 2 ;;
    --mode) case "$2" in sync|aio) modes="$2" ;; both) modes="sync aio" ;;
              *) echo "--mode takes sync, aio or both, got '$2'" >&2; exit 2 ;; esac; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
guest_kernel

# TCG boots an uncompressed kernel about twice as fast: Debian's bzImage carries it xz-compressed
vmlinux="$VBLK_WORK/vmlinux"
python3 - "$kernel" "$vmlinux" <<'PY' || vmlinux="$kernel"
import lzma, sys
data = open(sys.argv[1], "rb").read()
at = data.find(b"\xfd7zXZ\x00")
if at < 0:
    sys.exit(1)
out = lzma.LZMADecompressor().decompress(data[at:])
if out[:4] != b"\x7fELF":
    sys.exit(1)
open(sys.argv[2], "wb").write(out)
PY

# eight readers at once, each with one O_DIRECT request outstanding: what aio mode may serve together
guest_initramfs "$GUEST_READ_WRITE
for k in 1 2 3 4 5 6 7 8; do dd if=/dev/vda of=/dev/null bs=4k count=256 skip=\$((k * 256)) iflag=direct 2>/dev/null & done
wait
echo \"guest: readers \$(awk '{print \$1}' /sys/block/vda/stat) reads completed\"" "$VBLK_WORK/initramfs.gz"

for mode in $modes; do
  # the backend: a 16 MiB image whose first 8 MiB are random, behind a vhost-user socket ------------------------
  img="$VBLK_WORK/vda0-$mode.img"
  sock="$VBLK_WORK/vda0-$mode.sock"
  guest_image "$img"
  start_vblk "guest-$mode" "listen: 127.0.0.1
mode: $mode
devices:
  - {name: vda0, size: 16MiB, store: \"file:$img\", vhost-user: {socket: \"$sock\"}}"
  wait_for_line "$VBLK_WORK/guest-$mode.out" "vhost-user vda0 listening on" "$VBLK_PID" >/dev/null

  console="$VBLK_WORK/console-$mode.txt"
  echo "[$mode] booting $(basename "$vmlinux") under QEMU (software emulation; this takes a while)..."
  timeout "$timeout_s" qemu-system-x86_64 -accel tcg -m 256 -smp 2 -nographic -no-reboot -kernel "$vmlinux" \
    -initrd "$VBLK_WORK/initramfs.gz" -append "console=ttyS0 quiet panic=-1" \
    -object memory-backend-memfd,id=mem,size=256M,share=on -numa node,memdev=mem \
    -chardev "socket,id=vu0,path=$sock" -device vhost-user-blk-pci,chardev=vu0,num-queues=1 \
    > "$console" 2>&1 || fail "[$mode] QEMU did not finish in $timeout_s s; console: $(tail -20 "$console")"
  stop "$VBLK_PID"
  guest_check "$console" "$img" "[$mode] "
  counters="$VBLK_WORK/guest-$mode.out.err"
  grep -A2 'final counters' "$counters" | sed "s/^/[$mode] /" || true
  peak=$(awk '$1 == "vda0" { print $NF }' "$counters" | tail -1)
  [ -n "$peak" ] || fail "[$mode] the backend printed no final counters for vda0"
  if [ "$mode" = sync ]; then
    [ "$peak" -le 1 ] || fail "[sync] the backend had $peak requests of vda0 in service at once, more than 1"
  else
    [ "$peak" -gt 1 ] || fail "[aio] the backend never had more than 1 request of vda0 in service (8 readers ran)"
  fi
  echo "ok [$mode]: a QEMU guest's virtio-blk driver saw vda0 (16 MiB) over vhost-user, read the host's 8 MiB," \
    "wrote 4 MiB that are in the image; at most $peak in service"
done
