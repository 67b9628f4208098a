package io.vblk.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.tukaani.xz.XZInputStream;

/**
 * What a guest boots: the host's kernel, uncompressed when it can be (TCG boots a plain vmlinux about twice
 * as fast as the bzImage), and an initramfs of busybox, the kernel's virtio modules, vblk's load program
 * (built with {@code gcc -static} from the C source in this jar) and an /init that runs it with the
 * arguments on the kernel command line, then powers off. Built once and kept in a cache folder named after
 * a hash of everything that goes in.
 */
public record GuestImage(Path kernel, Path initramfs) {
    /** The modules virtio-blk needs, in load order; a kernel that builds one in has no file for it. */
    static final List<String> MODULES = List.of("virtio/virtio_ring.ko", "virtio/virtio.ko",
            "virtio/virtio_pci_modern_dev.ko", "virtio/virtio_pci_legacy_dev.ko", "virtio/virtio_pci.ko",
            "block/virtio_blk.ko");

    /**
     * The guest's /init: mounts, loads the modules, waits for the disks the load names, runs it, powers off.
     * {@code vblk.args=W,D,N,R,B,DISK...} on the kernel command line are the load program's arguments.
     */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
            for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do
              [ -f /lib/$m.ko ] && insmod /lib/$m.ko
            done
            args=$(sed -n 's/.*vblk\\.args=\\([^ ]*\\).*/\\1/p' /proc/cmdline | tr ',' ' ')
            set -- $args
            shift 5
            for d in "$@"; do
              for i in $(seq 400); do [ -b /dev/$d ] && break; sleep 0.05; done
              [ -b /dev/$d ] || echo "vblk-guest: no disk /dev/$d"
            done
            echo "vblk-guest: ready"
            /bin/vblk-guest-load $args
            echo "vblk-guest: exit $?"
            poweroff -f
            """;

    private static final String SOURCE = "/guest/vblk-guest-load.c";

    /** Builds the image into {@code cache} unless it is there already; returns where it is. */
    public static GuestImage prepare(GuestTools tools, Path cache) throws IOException {
        byte[] source = source();
        String key = hash(source, INIT.getBytes(StandardCharsets.UTF_8), tools.release().getBytes(StandardCharsets.UTF_8),
                tools.busybox().toString().getBytes(StandardCharsets.UTF_8),
                Long.toString(Files.size(tools.busybox())).getBytes(StandardCharsets.UTF_8));
        Path dir = cache.resolve("guest-" + key.substring(0, 16));
        Path kernel = dir.resolve("vmlinux");
        Path initramfs = dir.resolve("initramfs.gz");
        Path plainKernel = dir.resolve("kernel");
        if (Files.isRegularFile(initramfs) && (Files.isRegularFile(kernel) || Files.isRegularFile(plainKernel))) {
            return new GuestImage(Files.isRegularFile(kernel) ? kernel : tools.kernel(), initramfs);
        }
        Files.createDirectories(dir);
        Path program = dir.resolve("vblk-guest-load");
        compile(tools, source, dir, program);
        Path tmp = Files.createTempFile(dir, "initramfs", ".tmp");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            writeInitramfs(tools, program, out);
        }
        Files.move(tmp, initramfs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (!extractVmlinux(tools.kernel(), kernel)) {
            // a kernel whose payload is not xz boots as it is, only slower
            Files.writeString(plainKernel, tools.kernel().toString());
            return new GuestImage(tools.kernel(), initramfs);
        }
        return new GuestImage(kernel, initramfs);
    }

    private static byte[] source() throws IOException {
        try (InputStream in = GuestImage.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the guest load program " + SOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    private static void compile(GuestTools tools, byte[] source, Path dir, Path program) throws IOException {
        Path c = dir.resolve("vblk-guest-load.c");
        Files.write(c, source);
        Path log = dir.resolve("gcc.log");
        Process p = new ProcessBuilder(tools.gcc().toString(), "-O2", "-static", "-o", program.toString(), c.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("gcc did not build the guest load program in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the guest load program");
        }
        if (p.exitValue() != 0) {
            String why = Files.readString(log);
            throw new GuestTools.Missing("gcc could not build a static guest load program (" + why.strip().lines()
                    .reduce((a, b) -> b).orElse("no output") + "); static linking needs Debian package libc6-dev");
        }
    }

    /** A cpio (newc) archive: directories, busybox, the modules, the load program, /init. */
    static void writeInitramfs(GuestTools tools, Path program, OutputStream out) throws IOException {
        try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW)) {
            for (String d : List.of("bin", "lib", "proc", "sys", "dev", "tmp")) {
                CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, d);
                e.setMode(CpioConstants.C_ISDIR | 0755);
                e.setNumberOfLinks(2);
                cpio.putArchiveEntry(e);
                cpio.closeArchiveEntry();
            }
            file(cpio, "bin/busybox", Files.readAllBytes(tools.busybox()), 0755);
            file(cpio, "bin/vblk-guest-load", Files.readAllBytes(program), 0755);
            for (String m : MODULES) {
                Path ko = tools.modules().resolve(m);
                if (Files.isRegularFile(ko)) {
                    file(cpio, "lib/" + ko.getFileName(), Files.readAllBytes(ko), 0644);
                }
            }
            file(cpio, "init", INIT.getBytes(StandardCharsets.UTF_8), 0755);
            cpio.finish();
        }
    }

    private static void file(CpioArchiveOutputStream cpio, String name, byte[] bytes, int mode) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, bytes.length);
        e.setMode(CpioConstants.C_ISREG | mode);
        e.setNumberOfLinks(1);
        cpio.putArchiveEntry(e);
        cpio.write(bytes);
        cpio.closeArchiveEntry();
    }

    /**
     * Debian's bzImage carries the kernel xz-compressed after its setup code: finds the xz stream's magic and
     * decompresses it to an ELF file. False when there is no xz payload or it is not an ELF kernel.
     */
    static boolean extractVmlinux(Path bzImage, Path vmlinux) throws IOException {
        byte[] image = Files.readAllBytes(bzImage);
        byte[] magic = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
        for (int at = 0; at <= image.length - magic.length; at++) {
            if (!startsWith(image, at, magic)) {
                continue;
            }
            ByteArrayOutputStream elf = new ByteArrayOutputStream(image.length * 4);
            try (XZInputStream xz = new XZInputStream(new java.io.ByteArrayInputStream(image, at, image.length - at))) {
                byte[] buf = new byte[1 << 16];
                // the payload is one stream followed by padding: read until the stream ends or turns to garbage
                try {
                    for (int n; (n = xz.read(buf)) > 0; ) {
                        elf.write(buf, 0, n);
                    }
                } catch (IOException endOfStream) {
                    // padding after the stream; what was decompressed is kept if it is a kernel
                }
            } catch (IOException notXz) {
                continue;
            }
            byte[] out = elf.toByteArray();
            if (out.length > 4 && out[0] == 0x7f && out[1] == 'E' && out[2] == 'L' && out[3] == 'F') {
                Path tmp = Files.createTempFile(vmlinux.getParent(), "vmlinux", ".tmp");
                Files.write(tmp, out);
                Files.move(tmp, vmlinux, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] a, int at, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (a[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hash(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
