# Shared by bench/qemu-guest.sh (NBD door) and bench/qemu-vhost-guest.sh (vhost-user door): a Debian kernel and
# a busybox initramfs for a short-lived QEMU guest whose /dev/vda is a vblk device, the image it works on, and
# the checks of what the guest read and wrote. Source it after lib.sh; it sets no options.

# guest_kernel: installs what is missing (exit 2 when it cannot), sets kernel and modules
guest_kernel() {
  need qemu-system-x86_64 qemu-system-x86 || exit 2
  need busybox busybox-static || exit 2
  need cpio cpio || exit 2
  kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$kernel" ]; then
    need linux-version linux-image-amd64 || exit 2
    kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
  fi
  modules=/lib/modules/${kernel#/boot/vmlinuz-}/kernel/drivers
}

# What every guest does on /dev/vda: its size, the md5 of the first 8 MiB, 4 MiB of its own written after them
# with fsync, and that md5.
GUEST_READ_WRITE='
echo "guest: vda sectors $(cat /sys/block/vda/size)"
echo "guest: read md5 $(dd if=/dev/vda bs=1M count=8 2>/dev/null | md5sum | cut -d" " -f1)"
dd if=/dev/urandom of=/tmp/pattern bs=1M count=4 2>/dev/null
dd if=/tmp/pattern of=/dev/vda bs=1M seek=8 conv=fsync 2>/dev/null
echo "guest: wrote md5 $(md5sum < /tmp/pattern | cut -d" " -f1)"'

# guest_initramfs BODY OUT: busybox, the virtio modules this kernel builds as modules, and an /init that loads
# them, waits for /dev/vda, runs BODY (shell), says "guest: done" and powers off
guest_initramfs() {
  local root="$VBLK_WORK/initramfs" m
  rm -rf "$root"
  mkdir -p "$root/bin" "$root/lib" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for m in virtio/virtio_ring.ko virtio/virtio.ko virtio/virtio_pci_modern_dev.ko virtio/virtio_pci_legacy_dev.ko \
           virtio/virtio_pci.ko block/virtio_blk.ko; do
    [ -f "$modules/$m" ] && cp "$modules/$m" "$root/lib/"
  done
  {
    cat <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do
  [ -f /lib/$m.ko ] && insmod /lib/$m.ko
done
for i in $(seq 100); do [ -b /dev/vda ] && break; sleep 0.1; done
INIT
    printf '%s\n' "$1"
    printf 'echo "guest: done"\npoweroff -f\n'
  } > "$root/init"
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$2"
}

# guest_image FILE: a 16 MiB image whose first 8 MiB are random
guest_image() {
  head -c $((8 << 20)) /dev/urandom > "$1"
  truncate -s 16M "$1"
}

# guest_check CONSOLE IMAGE LABEL: the guest finished, saw 16 MiB, read the image's first 8 MiB and wrote the
# 4 MiB after them; fails naming what differs
guest_check() {
  local console="$1" img="$2" label="$3" sectors read_md5 wrote_md5
  grep '^guest:' "$console" | tr -d '\r' | sed "s/^/$label/"
  grep -q '^guest: done' "$console" || fail "${label}the guest did not finish; console: $(tail -20 "$console")"
  sectors=$(grep -o 'vda sectors [0-9]*' "$console" | grep -o '[0-9]*$')
  [ "$sectors" = 32768 ] || fail "${label}the guest saw $sectors sectors, expected 32768 (16 MiB)"
  read_md5=$(grep -o 'read md5 [0-9a-f]*' "$console" | grep -o '[0-9a-f]*$')
  [ "$read_md5" = "$(head -c $((8 << 20)) "$img" | md5sum | cut -d' ' -f1)" ] \
    || fail "${label}the guest read other bytes than the image holds"
  wrote_md5=$(grep -o 'wrote md5 [0-9a-f]*' "$console" | grep -o '[0-9a-f]*$')
  [ "$wrote_md5" = "$(tail -c +$(((8 << 20) + 1)) "$img" | head -c $((4 << 20)) | md5sum | cut -d' ' -f1)" ] \
    || fail "${label}the image does not hold what the guest wrote"
}

fail() { echo "FAIL: $*" >&2; exit 1; }
