package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.nbd.NbdClient;
import io.vblk.protocol.nbd.Nbd;
import io.vblk.scenario.BackendProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend jar with {@code --nbd-port}: both listening lines, then SIGTERM with NBD writes in flight on a
 * slow disk: every write received is answered, the process exits 0, and acknowledged writes are in the image.
 */
class NbdEndToEndTest {
    private static final Pattern MAIN = Pattern.compile("^vblk backend listening on (\\S+):(\\d+)$");
    private static final Pattern NBD = Pattern.compile("^vblk nbd listening on (\\S+):(\\d+) \\(exports: (.*)\\)$");
    private static final int WRITES = 48;
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void nbdPortFlagPrintsTheSecondLineAndSigtermDrainsNbdWrites() throws Exception {
        Path image = dir.resolve("img.raw");
        Path config = Files.writeString(dir.resolve("b.yaml"), "port: 0\ndisk: {service-time: 20ms, parallelism: 2}\n"
                + "devices:\n  - {name: img, size: 16MiB, store: \"file:" + image + "\"}\n"
                + "  - {name: ram0, size: 1MiB, store: ram}\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                BackendProcess.backendJar().toString(), "--config", config.toString(), "--nbd-port", "0")
                .redirectError(dir.resolve("backend.log").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Matcher main = MAIN.matcher(String.valueOf(out.readLine()));
            Matcher nbd = NBD.matcher(String.valueOf(out.readLine()));
            assertThat(main.matches()).as("first line").isTrue();
            assertThat(nbd.matches()).as("second line").isTrue();
            assertThat(nbd.group(1)).isEqualTo("127.0.0.1");
            assertThat(nbd.group(3)).isEqualTo("img, ram0");
            InetSocketAddress address = new InetSocketAddress(nbd.group(1), Integer.parseInt(nbd.group(2)));

            byte[][] data = new byte[WRITES][BLOCK];
            Random random = new Random(13);
            try (NbdClient c = NbdClient.attach(address, "img", false)) {
                for (int i = 0; i < WRITES; i++) {
                    random.nextBytes(data[i]);
                    c.send(Nbd.CMD_WRITE, 0, i, i * 3L * BLOCK, BLOCK, data[i]);
                }
                c.flush();
                // three replies (60 ms of service) prove it is serving; dozens of writes still wait for the disk
                for (int i = 0; i < 3; i++) {
                    assertThat(c.readReply().error()).isZero();
                }
                p.destroy();
                for (int i = 3; i < WRITES; i++) {
                    assertThat(c.readReply().error()).as("reply %d after SIGTERM", i).isZero();
                }
                assertThat(c.closedWithin(20_000)).isTrue();
            }
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("exit code; see backend.log").isZero();
            byte[] written = Files.readAllBytes(image);
            for (int i = 0; i < WRITES; i++) {
                int at = i * 3 * BLOCK;
                assertThat(Arrays.copyOfRange(written, at, at + BLOCK)).as("write %d", i).isEqualTo(data[i]);
            }
            assertThat(Files.readString(dir.resolve("backend.log"))).contains("img").contains("ram0");
        } finally {
            p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutTheFlagOrBlockThereIsNoSecondLine() throws Exception {
        Path config = Files.writeString(dir.resolve("b.yaml"), "port: 0\ndevices:\n  - {name: d, size: 1MiB}\n");
        Path stdout = dir.resolve("stdout.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                BackendProcess.backendJar().toString(), "--config", config.toString())
                .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(stdout).contains("\n") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            List<String> lines = Files.readAllLines(stdout);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).matches(MAIN);
        } finally {
            p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
