#!/usr/bin/env bash
# A real QEMU guest on vblk's NBD door: QEMU (software emulation) boots Debian's kernel with a busybox initramfs
# and `-drive file=nbd://...,if=virtio`, so the guest's own virtio-blk driver sees a vblk device as /dev/vda.
# The guest reads the first 8 MiB (which the host filled with random bytes) and writes 4 MiB of its own after
# them with fsync; the script checks the size the guest saw and both checksums against the image file.
# Installs qemu-system-x86, linux-image-amd64, busybox-static and cpio (Debian) when missing. Loopback only;
# the guest powers off by itself and everything is bounded by --timeout.
# Usage: bench/qemu-guest.sh [--timeout 300]
set -euo pipefail
. "$(dirname "$0")/scripts/lib.sh"
. "$(dirname "$0")/scripts/guest.sh"

timeout_s=300
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_s="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
guest_kernel
guest_initramfs "$GUEST_READ_WRITE" "$VBLK_WORK/initramfs.gz"

# the backend: a 16 MiB image whose first 8 MiB are random ---------------------------------------------------
img="$VBLK_WORK/vda0.img"
guest_image "$img"
start_vblk guest "listen: 127.0.0.1
mode: aio
devices:
  - {name: vda0, size: 16MiB, store: \"file:$img\"}"

echo "booting $kernel under QEMU (software emulation; this takes a while)..."
timeout "$timeout_s" qemu-system-x86_64 -m 256 -nographic -no-reboot -kernel "$kernel" \
  -initrd "$VBLK_WORK/initramfs.gz" -append "console=ttyS0 quiet panic=-1" \
  -drive "file=nbd://$VBLK_NBD/vda0,format=raw,if=virtio,cache=none" > "$VBLK_WORK/console.txt" 2>&1 \
  || fail "QEMU did not finish in $timeout_s s; console: $(tail -20 "$VBLK_WORK/console.txt")"
stop "$VBLK_PID"
guest_check "$VBLK_WORK/console.txt" "$img" ""
echo "ok: a QEMU guest's virtio-blk driver saw vda0 (16 MiB), read the host's 8 MiB and wrote 4 MiB that are in the image"
grep -A2 'final counters' "$VBLK_WORK/guest.out.err" || true
