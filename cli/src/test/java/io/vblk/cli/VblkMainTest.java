package io.vblk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.load.FakeBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VblkMainTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vblk(String... args) {
        CommandLine cl = VblkMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path config(String yaml) throws Exception {
        Path p = dir.resolve("load.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void versionAndHelpExitZero() {
        assertThat(vblk("--version")).isZero();
        assertThat(out.toString()).startsWith("vblk ");
        assertThat(vblk("load", "--help")).isZero();
        assertThat(out.toString()).contains("--target=HOST:PORT", "--warmup=TIME", "Exit codes");
    }

    @Test
    void aConfigErrorIsOneLocatedLineAndExitTwo() throws Exception {
        Path cfg = config("target: 127.0.0.1:1\nload:\n  - device: vm1\n    pattern: radnread\n");

        assertThat(vblk("load", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(cfg + ":4: load[0].pattern: 'radnread' is not allowed; allowed: "
                + "randread, randwrite, randrw, read, write" + System.lineSeparator());
    }

    @Test
    void anUnusableTokenFileIsOneLocatedLineAndExitTwo() throws Exception {
        Path cfg = config("target: 127.0.0.1:1\nauth-token-file: \"" + dir.resolve("missing") + "\"\nload:\n  - device: vm1\n");

        assertThat(vblk("load", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith(cfg + ":2: auth-token-file: ").contains("no such file");
    }

    @Test
    void tlsWithoutATrustFileIsAConfigError() throws Exception {
        Path cfg = config("target: 127.0.0.1:1\ntls: {}\nload:\n  - device: vm1\n");

        assertThat(vblk("load", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith(cfg + ":2: tls.trust: is required");
    }

    @Test
    void aBadDurationIsAUsageError() throws Exception {
        Path cfg = config("load:\n  - device: vm1\n");

        assertThat(vblk("load", "--config", cfg.toString(), "--duration", "5x")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vblk load: Invalid value for option '--duration': '5x' has unknown unit")
                .contains("Try 'vblk load --help'");
    }

    @Test
    void noTargetAnywhereIsAUsageError() throws Exception {
        Path cfg = config("load:\n  - device: vm1\n");

        assertThat(vblk("load", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo(
                "vblk load: no target: give --target HOST:PORT or 'target:' in the load config");
    }

    @Test
    void aRefusedConnectionIsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = config("load:\n  - device: vm1\n");

        assertThat(vblk("load", "--config", cfg.toString(), "--target", "127.0.0.1:" + port, "-q")).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo(
                "vblk load: cannot connect to 127.0.0.1:" + port + ": connection refused (is the backend running?)");
    }

    @Test
    void aRunPrintsTheTableAndWritesJson() throws Exception {
        try (FakeBackend backend = new FakeBackend().device("vm1", 1 << 20, 16).device("vm2", 1 << 20, 16).start()) {
            Path cfg = config("target: 127.0.0.1:1\nverify: true\nload:\n"
                    + "  - device: vm1\n    processes: 4\n    pattern: randrw\n"
                    + "  - device: vm2\n    processes: 2\n    pattern: randread\n");
            Path json = dir.resolve("out.json");

            int code = vblk("load", "--config", cfg.toString(), "--target", backend.target(),
                    "--duration", "300ms", "--warmup", "0s", "--json", json.toString(), "--quiet");

            assertThat(code).as(err.toString()).isZero();
            assertThat(err.toString()).isEmpty();
            assertThat(out.toString().lines()).first().asString()
                    .matches("device \\| weight \\| +I/Os \\| ratio to total \\| +IOPS \\| +MB/s \\| +p50 \\(ms\\) \\| +p90 \\(ms\\) \\| "
                            + "+p99 \\(ms\\) \\| +p99.9 \\(ms\\)");
            assertThat(out.toString()).contains("\nvm1 ", "\nvm2 ", "\ntotal ", "verify: ", " 0 mismatches");
            JsonNode tree = new ObjectMapper().readTree(json.toFile());
            assertThat(tree.get("devices")).hasSize(2);
            assertThat(tree.get("total").get("ios").asLong()).isPositive();
            JsonNode latency = tree.get("total").get("latency_us");
            assertThat(latency.get("p50").asLong()).isPositive();
            assertThat(latency.get("p90").asLong()).isBetween(latency.get("p50").asLong(), latency.get("p99").asLong());
            assertThat(latency.get("p999").asLong()).isGreaterThanOrEqualTo(latency.get("p99").asLong());
            // the default --interval 1s: a 300 ms window is one interval, which holds every measured I/O
            JsonNode intervals = tree.get("intervals");
            assertThat(intervals).hasSize(1);
            assertThat(intervals.get(0).get("end_s").asDouble()).isEqualTo(tree.get("duration_s").asDouble());
            for (int d = 0; d < 2; d++) {
                assertThat(intervals.get(0).get("devices").get(d).get("ios").asLong())
                        .isEqualTo(tree.get("devices").get(d).get("ios").asLong());
            }
        }
    }

    @Test
    void aVerifyMismatchExitsOne() throws Exception {
        // 16 blocks: a read of a block this run wrote comes within a few requests, even on a loaded machine
        try (FakeBackend backend = new FakeBackend().device("vm1", 1 << 16, 16).start()) {
            backend.corruptWrittenReads = true;
            Path cfg = config("verify: true\nload:\n  - device: vm1\n    processes: 4\n    pattern: randrw\n");

            int code = vblk("load", "--config", cfg.toString(), "--target", backend.target(),
                    "--duration", "1s", "--warmup", "0s", "-q");

            assertThat(code).isEqualTo(1);
            assertThat(out.toString()).contains("vm1 block ");
            assertThat(err.toString()).startsWith("vblk load: verify: ");
        }
    }

    @Test
    void verifyOnlyChecksTheFlushedBlocksAndExitsOneOnAMismatch() throws Exception {
        try (FakeBackend backend = new FakeBackend().device("vm1", 1 << 20, 16).start()) {
            Path ledger = dir.resolve("ledger.json");
            Path cfg = config("target: " + backend.target() + "\nverify: true\nverify-ledger: \"" + ledger
                    + "\"\nflush-every: 20ms\nload:\n  - {device: vm1, processes: 4, pattern: randwrite}\n");
            assertThat(vblk("load", "--config", cfg.toString(), "--duration", "300ms", "--warmup", "0s", "--quiet"))
                    .as(err.toString()).isZero();
            assertThat(ledger).exists();

            assertThat(vblk("load", "--config", cfg.toString(), "--verify-only", "--warmup", "0s", "--quiet"))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).containsPattern("verify-only: [1-9]\\d* flushed blocks \\(\\d+ bytes\\) verified,"
                    + " 0 failed reads, 0 mismatches");

            backend.corruptWrittenReads = true;
            assertThat(vblk("load", "--config", cfg.toString(), "--verify-only", "--warmup", "0s", "--quiet"))
                    .isEqualTo(VblkMain.RUN_FAILED);
            assertThat(err.toString()).contains("did not match");
        }
    }

    @Test
    void benchRejectsAnUnknownRwNamingTheAllowedValues() {
        assertThat(vblk("bench", "--rw", "randread,randrw")).isEqualTo(2);
        assertThat(err.toString())
                .contains("vblk bench: Invalid value for option '--rw'", "'randrw' is not allowed; allowed: randread, randwrite")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void benchRejectsOutOfRangeCountsAndUnknownPoliciesWithExitTwo() {
        assertThat(vblk("bench", "--outstanding", "1,512")).isEqualTo(2);
        assertThat(err.toString()).contains("--outstanding: 512 is out of range; allowed: 1 to 256");
        assertThat(vblk("bench", "--policy", "cfq")).isEqualTo(2);
        assertThat(err.toString()).contains("'cfq' is not allowed; allowed: fifo, ioband, sfq");
        assertThat(vblk("bench", "--mode", "async")).isEqualTo(2);
        assertThat(err.toString()).contains("'async' is not allowed; allowed: sync, aio").doesNotContain("\tat ");
        assertThat(vblk("bench", "--duration", "0s")).isEqualTo(2);
        assertThat(err.toString()).contains("--duration must be positive");
    }
}
