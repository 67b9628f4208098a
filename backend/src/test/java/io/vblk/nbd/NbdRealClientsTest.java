package io.vblk.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vblk.backend.Backend;
import io.vblk.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real NBD clients, when installed: libnbd's nbdinfo reads sizes and flags; qemu-img writes an image in. */
class NbdRealClientsTest {
    private static boolean installed(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode nbdinfo(String uri) throws Exception {
        Process p = new ProcessBuilder("nbdinfo", "--json", uri).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("nbdinfo finished").isTrue();
        assertThat(p.exitValue()).as("nbdinfo exit code, output:%n%s", out).isZero();
        return ConfigLoader.json().readTree(out).get("exports").get(0);
    }

    @Test
    void nbdinfoSeesSizeFlagsAndBlockSizes() throws Exception {
        Assumptions.assumeTrue(installed("nbdinfo"), "nbdinfo not installed");
        try (Backend b = NbdBackends.start("devices:\n  - {name: disk0, size: 64MiB, store: ram}\n"
                + "  - {name: ro0, size: 1MiB, store: ram, read-only: true}\n")) {
            String base = "nbd://127.0.0.1:" + b.nbdAddress().getPort() + "/";
            JsonNode disk = nbdinfo(base + "disk0");
            assertThat(disk.get("export-size").asLong()).isEqualTo(64L << 20);
            assertThat(disk.get("is_read_only").asBoolean()).isFalse();
            assertThat(disk.get("can_fua").asBoolean()).isTrue();
            assertThat(disk.get("can_multi_conn").asBoolean()).isTrue();
            assertThat(disk.get("block_size_maximum").asLong()).isEqualTo(4L << 20);
            JsonNode ro = nbdinfo(base + "ro0");
            assertThat(ro.get("export-size").asLong()).isEqualTo(1L << 20);
            assertThat(ro.get("is_read_only").asBoolean()).isTrue();
        }
    }

    @Test
    void qemuImgConvertWritesAnImageThatReadsBackByteIdentical(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(installed("qemu-img"), "qemu-img not installed");
        byte[] image = NbdCommandsTest.random(3 << 20, 21);
        Path file = Files.write(dir.resolve("in.raw"), image);
        try (Backend b = NbdBackends.start("devices:\n  - {name: disk0, size: 4MiB, store: ram}\n")) {
            Process p = new ProcessBuilder("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", file.toString(),
                    "nbd://127.0.0.1:" + b.nbdAddress().getPort() + "/disk0").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("qemu-img finished").isTrue();
            assertThat(p.exitValue()).as("qemu-img exit code, output:%n%s", out).isZero();
            try (NbdClient c = NbdClient.attach(b.nbdAddress(), "disk0", true)) {
                assertThat(c.read(0, 3 << 20).data()).isEqualTo(image);
                assertThat(c.read(3 << 20, 1 << 20).data()).containsOnly((byte) 0);
            }
        }
    }
}
