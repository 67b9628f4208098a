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

timeout_s=300
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_s="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
need qemu-system-x86_64 qemu-system-x86
need busybox busybox-static
need cpio cpio
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$kernel" ]; then
  need linux-version linux-image-amd64
  kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
fi
release=${kernel#/boot/vmlinuz-}
modules=/lib/modules/$release/kernel/drivers

fail() { echo "FAIL: $*" >&2; exit 1; }

# the initramfs: busybox, the virtio modules this kernel builds as modules, and /init ----------------------------
root="$VBLK_WORK/initramfs"
mkdir -p "$root/bin" "$root/lib" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$(command -v busybox)" "$root/bin/busybox"
order="virtio/virtio_ring.ko virtio/virtio.ko virtio/virtio_pci_modern_dev.ko virtio/virtio_pci_legacy_dev.ko
       virtio/virtio_pci.ko block/virtio_blk.ko"
for m in $order; do [ -f "$modules/$m" ] && cp "$modules/$m" "$root/lib/"; done
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do
  [ -f /lib/$m.ko ] && insmod /lib/$m.ko
done
for i in $(seq 100); do [ -b /dev/vda ] && break; sleep 0.1; done
echo "guest: vda sectors $(cat /sys/block/vda/size)"
echo "guest: read md5 $(dd if=/dev/vda bs=1M count=8 2>/dev/null | md5sum | cut -d' ' -f1)"
dd if=/dev/urandom of=/tmp/pattern bs=1M count=4 2>/dev/null
dd if=/tmp/pattern of=/dev/vda bs=1M seek=8 conv=fsync 2>/dev/null
echo "guest: wrote md5 $(md5sum < /tmp/pattern | cut -d' ' -f1)"
echo "guest: done"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$VBLK_WORK/initramfs.gz"

# the backend: a 16 MiB image whose first 8 MiB are random ---------------------------------------------------
img="$VBLK_WORK/vda0.img"
head -c $((8 << 20)) /dev/urandom > "$img"
truncate -s 16M "$img"
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
grep '^guest:' "$VBLK_WORK/console.txt" | tr -d '\r'
grep -q '^guest: done' "$VBLK_WORK/console.txt" || fail "the guest did not finish; console: $(tail -20 "$VBLK_WORK/console.txt")"
sectors=$(grep -o 'vda sectors [0-9]*' "$VBLK_WORK/console.txt" | grep -o '[0-9]*$')
[ "$sectors" = 32768 ] || fail "the guest saw $sectors sectors, expected 32768 (16 MiB)"
read_md5=$(grep -o 'read md5 [0-9a-f]*' "$VBLK_WORK/console.txt" | grep -o '[0-9a-f]*$')
[ "$read_md5" = "$(head -c $((8 << 20)) "$img" | md5sum | cut -d' ' -f1)" ] || fail "the guest read other bytes than the image holds"
wrote_md5=$(grep -o 'wrote md5 [0-9a-f]*' "$VBLK_WORK/console.txt" | grep -o '[0-9a-f]*$')
[ "$wrote_md5" = "$(tail -c +$(((8 << 20) + 1)) "$img" | head -c $((4 << 20)) | md5sum | cut -d' ' -f1)" ] \
  || fail "the image does not hold what the guest wrote"
echo "ok: a QEMU guest's virtio-blk driver saw vda0 (16 MiB), read the host's 8 MiB and wrote 4 MiB that are in the image"
grep -A2 'final counters' "$VBLK_WORK/guest.out.err" || true
