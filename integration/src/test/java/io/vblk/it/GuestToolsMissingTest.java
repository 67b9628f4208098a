package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a host without QEMU, a guest experiment stops at once with exit 2 and names the Debian package. */
class GuestToolsMissingTest {
    @TempDir
    Path dir;

    @Test
    void aGuestExperimentWithoutQemuExitsTwoNamingThePackage() throws Exception {
        Path emptyPath = Files.createDirectories(dir.resolve("bin"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.vblk.cli.VblkMain", "experiment", "seed-guest", "--quiet", "--out", dir.resolve("out").toString())
                .redirectErrorStream(true);
        pb.environment().put("PATH", emptyPath.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as("exit code; output: %s", output).isEqualTo(2);
        assertThat(output).contains("vblk experiment: a real guest needs qemu-system-x86_64, which is not installed "
                + "(Debian package qemu-system-x86)").doesNotContain("Exception");
        assertThat(dir.resolve("out").resolve("seed-guest-sync.backend.log")).as("no backend was started").doesNotExist();
    }
}
