package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.cli.VblkMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vblk bench} against real backend processes, with tiny windows: the cells asked for and only those
 * come back, with figures that are consistent (not fast: speed is the benchmark's business, not a test's).
 */
class BenchEndToEndTest {
    @TempDir
    Path out;
    private final StringWriter stdout = new StringWriter();
    private final StringWriter stderr = new StringWriter();

    private int vblk(String... args) {
        CommandLine cl = VblkMain.commandLine();
        cl.setOut(new PrintWriter(stdout, true));
        cl.setErr(new PrintWriter(stderr, true));
        return cl.execute(args);
    }

    @Test
    void oneCellGivesItsRowAndConsistentFigures() throws Exception {
        Path json = out.resolve("bench.json");
        int rc = vblk("bench", "--rw", "randwrite", "--outstanding", "4", "--devices", "2", "--policy", "sfq", "--mode", "aio",
                "--warmup", "300ms", "--duration", "1s", "--prefill", "200ms", "--json", json.toString(),
                "--out", out.toString());

        assertThat(rc).as(stderr.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("cells").size()).isEqualTo(1);
        JsonNode c = root.path("cells").get(0);
        assertThat(c.path("rw").asText()).isEqualTo("randwrite");
        assertThat(c.path("outstanding_per_device").asInt()).isEqualTo(4);
        assertThat(c.path("devices").asInt()).isEqualTo(2);
        assertThat(c.path("policy").asText()).isEqualTo("sfq");
        assertThat(c.path("mode").asText()).isEqualTo("aio");
        assertThat(c.path("ios").asLong()).isPositive();
        assertThat(c.path("iops").asDouble()).isPositive();
        assertThat(c.path("errors").asLong()).isZero();
        long p50 = c.path("p50_us").asLong();
        long p99 = c.path("p99_us").asLong();
        long p999 = c.path("p999_us").asLong();
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(p999);
        assertThat(c.path("backend_cpu_s_per_mio").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(c.path("frontend_cpu_s_per_mio").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(c.path("backend_cpu_s").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(root.path("machine").path("cores").asInt()).isPositive();
        assertThat(root.path("sfq_vs_fifo").size()).isZero();
        assertThat(root.path("curve").isNull()).isTrue();
        // the table: the header and exactly one row, for the cell asked for
        assertThat(stdout.toString()).contains("qd/dev", "backend CPU s/M I/O")
                .containsPattern("(?m)^randwrite \\|\\s+4 \\|\\s+2 \\|\\s+sfq \\|\\s+aio \\|")
                .doesNotContain("randread |");
        // the live line (once a second: the window ends at 1.3 s) names the cell and each device
        assertThat(stderr.toString()).contains("randwrite qd4 x2 sfq aio", "d0 ", "d1 ");
    }

    @Test
    void aTinyCurveGivesEveryPointAndAChart() throws Exception {
        Path json = out.resolve("curve.json");
        int rc = vblk("bench", "--curve", "--curve-devices", "1,2", "--curve-per-device", "1,2", "--curve-depths", "1,4", "--warmup", "100ms",
                "--duration", "300ms", "--prefill", "0s", "--quiet", "--json", json.toString(), "--out", out.toString());

        assertThat(rc).as(stderr.toString()).isZero();
        JsonNode curve = new ObjectMapper().readTree(json.toFile()).path("curve");
        assertThat(curve.path("devices")).extracting(n -> n.path("devices").asInt() + "x" + n.path("outstanding_per_device").asInt())
                .containsExactly("1x1", "2x1", "1x2", "2x2");
        assertThat(curve.path("depth")).extracting(n -> n.path("outstanding_per_device").asInt()).containsExactly(1, 4);
        assertThat(curve.path("depth")).allSatisfy(n -> {
            assertThat(n.path("devices").asInt()).isEqualTo(1);
            assertThat(n.path("iops").asDouble()).isPositive();
            assertThat(n.path("policy").asText()).isEqualTo("sfq");
            assertThat(n.path("mode").asText()).isEqualTo("aio");
        });
        Path png = Path.of(curve.path("chart").asText());
        assertThat(png).startsWith(out).hasFileName("bench-curve.png");
        assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(stdout.toString()).contains("devices |", "depth   |", "chart: ");
    }
}
