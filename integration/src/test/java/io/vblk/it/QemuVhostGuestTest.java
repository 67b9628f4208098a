package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real QEMU guest (TCG) on the vhost-user door, in sync and then aio mode: bench/qemu-vhost-guest.sh boots
 * Debian's kernel, whose virtio-blk driver reads and writes a vblk device through shared-memory rings; the
 * script checks the bytes against the image and what the backend had in flight. Skips, naming the Debian
 * package, where QEMU, busybox, cpio or a kernel is missing; `.ci/run` installs them.
 */
class QemuVhostGuestTest {
    @TempDir
    Path dir;

    private static void require(String command, String debianPackage) {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(p, command));
        }
        assumeTrue(found, command + " is not installed (Debian package " + debianPackage + ")");
    }

    @Test
    void aGuestsVirtioBlkDriverReadsAndWritesADeviceOverVhostUserInBothModes() throws Exception {
        require("qemu-system-x86_64", "qemu-system-x86");
        require("busybox", "busybox-static");
        require("cpio", "cpio");
        try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
            assumeTrue(boot.anyMatch(p -> p.getFileName().toString().startsWith("vmlinuz-")),
                    "no kernel in /boot (Debian package linux-image-amd64)");
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder("bash", root.resolve("bench/qemu-vhost-guest.sh").toString(), "--timeout", "240")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(540, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bench/qemu-vhost-guest.sh did not finish in 540 s: " + Files.readString(out));
        }
        String text = Files.readString(out);
        assertThat(p.exitValue()).as("exit code; output:%n%s", text).isZero();
        assertThat(text).contains("ok [sync]:", "ok [aio]:");
    }
}
