package io.vblk.guest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What running a real guest needs from the host, found or named: QEMU, gcc for the load program, a static
 * busybox for the initramfs, and a Debian kernel with its virtio modules. A missing piece is a
 * {@link Missing} naming the Debian package that brings it.
 */
public record GuestTools(Path qemu, Path gcc, Path busybox, Path kernel, Path modules) {
    /** A tool the host lacks; the message names the Debian package to install. The run stops with exit 2. */
    public static final class Missing extends RuntimeException {
        public Missing(String message) {
            super(message, null, false, false);
        }
    }

    /** Finds every piece on $PATH, or throws {@link Missing} for the first one absent. */
    public static GuestTools find() {
        return find(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /** As {@link #find()}, with the commands looked up in {@code path} (a $PATH value). */
    public static GuestTools find(String path) {
        Path qemu = onPath(path, "qemu-system-x86_64", "qemu-system-x86");
        Path gcc = onPath(path, "gcc", "gcc");
        Path busybox = onPath(path, "busybox", "busybox-static");
        Path kernel = newestKernel().orElseThrow(() -> new Missing(
                "a real guest needs a Linux kernel in /boot (Debian package linux-image-amd64)"));
        String release = kernel.getFileName().toString().substring("vmlinuz-".length());
        Path modules = Path.of("/lib/modules", release, "kernel", "drivers");
        if (!Files.isRegularFile(modules.resolve("block/virtio_blk.ko")) && !builtIn(release)) {
            throw new Missing("a real guest needs the virtio_blk module of kernel " + release + " in " + modules
                    + " (Debian package linux-image-" + release + ")");
        }
        return new GuestTools(qemu, gcc, busybox, kernel, modules);
    }

    /** The kernel's own release, e.g. 6.1.0-57-amd64. */
    public String release() {
        return kernel.getFileName().toString().substring("vmlinuz-".length());
    }

    private static boolean builtIn(String release) {
        Path builtin = Path.of("/lib/modules", release, "modules.builtin");
        try {
            return Files.isRegularFile(builtin) && Files.readString(builtin).contains("virtio_blk.ko");
        } catch (IOException e) {
            return false;
        }
    }

    static Path onPath(String path, String command, String debianPackage) {
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new Missing("a real guest needs " + command + ", which is not installed (Debian package " + debianPackage
                + ")");
    }

    private static Optional<Path> newestKernel() {
        try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
            return boot.filter(p -> p.getFileName().toString().startsWith("vmlinuz-") && Files.isReadable(p))
                    .max(Comparator.comparing(p -> p.getFileName().toString(), GuestTools::compareVersions));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Version order ("6.1.0-9" before "6.1.0-57"): digit runs compare as numbers. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].chars().allMatch(Character::isDigit) && y[i].chars().allMatch(Character::isDigit)
                    ? new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
