package io.vblk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import io.vblk.logs.BackendSummary;
import io.vblk.logs.Fixtures;
import io.vblk.requestlog.RequestRecord;

/** {@code vblk logs ...} end to end: output, JSON field names, warnings and exit codes. */
class LogsCommandTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vblk(Object... args) {
        CommandLine cl = VblkMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    private Path seed() throws Exception {
        return Fixtures.write(dir.resolve("backend.log"), Fixtures.seedLog());
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void summaryJsonHasSnakeCaseFields() throws Exception {
        Path log = seed();

        assertThat(vblk("logs", "summary", log, "--output-format", "json")).isZero();
        assertThat(err.toString()).isEmpty();
        JsonNode tree = json();
        assertThat(tree.get("kind").asText()).isEqualTo("backend");
        assertThat(tree.get("records").asLong()).isEqualTo(125);
        assertThat(tree.get("span_s").asDouble()).isEqualTo(0.126508);
        assertThat(tree.get("skipped_lines").asLong()).isZero();
        assertThat(tree.get("note").asText()).isEqualTo(BackendSummary.NOTE);
        JsonNode d = tree.get("devices").get(0);
        assertThat(d.get("name").asText()).isEqualTo("sda11");
        assertThat(d.get("ios").asLong()).isEqualTo(100);
        assertThat(d.get("share").asDouble()).isEqualTo(0.8);
        assertThat(d.get("iops").asDouble()).isGreaterThan(790).isLessThan(791);
        assertThat(d.get("bytes").asLong()).isEqualTo(409600);
        assertThat(d.get("weights").get(0).asInt()).isEqualTo(80);
        assertThat(d.get("phases").get("q2d").get("p99_us").asDouble()).isBetween(990.0, 991.0);
        assertThat(d.get("phases").fieldNames()).toIterable().containsExactly("q2d", "d2c", "q2c", "c2r");
        assertThat(d.get("phases").get("c2r").fieldNames()).toIterable().containsExactly("mean_us", "p50_us", "p99_us", "max_us");
        assertThat(d.get("in_service_device").get("p50").asLong()).isEqualTo(5);
        assertThat(d.get("dispatched_total").get("mean").asDouble()).isEqualTo(8.0);
        assertThat(tree.get("devices").get(1).get("errors").get("IOERR").asLong()).isEqualTo(1);
        assertThat(tree.get("total").get("ios").asLong()).isEqualTo(125);
    }

    @Test
    void summaryOfAFrontendLog() throws Exception {
        Path log = Fixtures.write(dir.resolve("guest.log"),
                Fixtures.seedLog().stream().map(r -> Fixtures.guest(r, 30_000, 20_000)).toList());

        assertThat(vblk("logs", "summary", log, "--output-format", "json")).isZero();
        JsonNode d = json().get("devices").get(0);
        assertThat(json().get("kind").asText()).isEqualTo("frontend");
        assertThat(d.get("latency").get("p50_us").asDouble()).isBetween(1058.0, 1059.1);
    }

    @Test
    void aTornLogSummarizesWithOneWarning() throws Exception {
        Path log = seed();
        String next = Fixtures.json(Fixtures.EXAMPLE);
        Files.writeString(log, next.substring(0, next.length() / 2), StandardOpenOption.APPEND);

        assertThat(vblk("logs", "summary", log)).isZero();
        assertThat(err.toString()).isEqualTo(log + ": line 126 is incomplete (the writer stopped mid-line); skipped" + NL);
        assertThat(out.toString()).startsWith("backend log " + log + ": 125 records (1 line skipped) over 0.127 s");
    }

    @Test
    void summaryReadsTheRolledPartsAsOneLog() throws Exception {
        List<RequestRecord> log = Fixtures.seedLog();
        Path first = Fixtures.write(dir.resolve("requests.log.1"), log.subList(0, 60));
        Path second = Fixtures.write(dir.resolve("requests.log"), log.subList(60, log.size()));

        assertThat(vblk("logs", "summary", first, second, "--output-format", "json")).isZero();
        assertThat(json().get("records").asLong()).isEqualTo(125);
        assertThat(json().get("devices").get(1).get("share").asDouble()).isEqualTo(0.2);
    }

    @Test
    void timelineTableJsonAndPng() throws Exception {
        Path log = Fixtures.write(dir.resolve("shift.log"), Fixtures.shiftingLog());
        Path png = dir.resolve("charts/shares.png");

        assertThat(vblk("logs", "timeline", log, "--window", "1s", "--png", png)).isZero();
        assertThat(out.toString()).contains("   0.000 |    80 |  80.0% |    20 | 20.0% |   100" + "\n",
                "chart: " + png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);

        out.getBuffer().setLength(0);
        assertThat(vblk("logs", "timeline", log, "--window", "500ms", "--output-format", "json")).isZero();
        JsonNode tree = json();
        assertThat(tree.get("window_s").asDouble()).isEqualTo(0.5);
        assertThat(tree.fieldNames()).toIterable()
                .containsExactly("files", "by", "window_s", "last_window_covered_s", "devices", "windows", "changes");
        assertThat(tree.get("by").asText()).isEqualTo("r");
        assertThat(tree.get("windows")).hasSize(7);
        JsonNode w = tree.get("windows").get(2);
        assertThat(w.get("start_s").asDouble()).isEqualTo(1.0);
        assertThat(w.get("devices").get(1).get("name").asText()).isEqualTo("sda12");
        assertThat(w.get("devices").get(1).get("share").asDouble()).isEqualTo(0.5);
    }

    @Test
    void grepPrintsMatchingLines() throws Exception {
        Path log = seed();

        assertThat(vblk("logs", "grep", log, "--device", "sda11", "--type", "OUT", "--slower-than", "1.4ms", "--limit", "2")).isZero();
        // sda11's k-th request arrives at n = k + k / 4 ms (every fifth millisecond is sda12's): #91 at 113ms
        assertThat(out.toString()).isEqualTo(
                "   0.113000  sda11 q0 #91 d91 OUT  728+8  4096B OK  Q2C 1.42ms (Q2D 0.92ms D2C 0.50ms C2R 8.0us) in service/dispatched 2/8" + NL
                + "   0.116000  sda11 q0 #93 d93 OUT  744+8  4096B OK  Q2C 1.44ms (Q2D 0.94ms D2C 0.50ms C2R 8.0us) in service/dispatched 4/8" + NL);
    }

    @Test
    void joinPrintsCountsAndLegs() throws Exception {
        List<RequestRecord> backend = Fixtures.seedLog();
        Path b = Fixtures.write(dir.resolve("backend.log"), backend);
        Path f = Fixtures.write(dir.resolve("guest.log"), backend.stream().map(r -> Fixtures.guest(r, 30_000, 20_000)).toList());

        assertThat(vblk("logs", "join", b, f, "--output-format", "json")).isZero();
        JsonNode d = json().get("devices").get(0);
        assertThat(d.get("joined").asLong()).isEqualTo(100);
        assertThat(d.get("backend_only").asLong()).isZero();
        assertThat(d.get("frontend_only").asLong()).isZero();
        assertThat(d.get("way_in").get("p50_us").asDouble()).isEqualTo(30.0);
        assertThat(d.get("way_back").get("mean_us").asDouble()).isEqualTo(20.0);
        assertThat(d.get("backend").get("max_us").asDouble()).isEqualTo(1508.0);

        assertThat(vblk("logs", "join", f, b)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk logs join: " + f + " is a frontend log; give the backend's log first" + NL);
    }

    @Test
    void aLogThatCannotBeReadIsOneLineAndExitTwo() throws Exception {
        Path missing = dir.resolve("missing.log");
        Path other = dir.resolve("app.json");
        Files.writeString(other, "{\"level\":\"INFO\"}\n");

        assertThat(vblk("logs", "summary", missing)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk logs summary: " + missing + ": no such file" + NL);
        err.getBuffer().setLength(0);
        assertThat(vblk("logs", "timeline", other)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk logs timeline: " + other
                + ": not a vblk request log (its first JSON line has neither \"q\" nor \"submit\")" + NL);
        err.getBuffer().setLength(0);
        assertThat(vblk("logs", "grep", dir)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk logs grep: " + dir + ": is a directory, not a log" + NL);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Path log = seed();

        assertThat(vblk("logs", "timeline", log, "--window", "0s")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vblk logs timeline: --window must be positive" + NL);
        err.getBuffer().setLength(0);
        assertThat(vblk("logs", "grep", log, "--slower-than", "5 parsecs")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vblk logs grep: Invalid value for option '--slower-than'");
        err.getBuffer().setLength(0);
        assertThat(vblk("logs")).isEqualTo(2);
        assertThat(err.toString()).startsWith("vblk logs: a subcommand is required: summary, timeline, grep, join or trace" + NL);
    }

    @Test
    void traceWritesAChromeTraceToAFileOrStdoutAndRefusesWhatItCannotDo() throws Exception {
        Path log = seed();
        Path file = dir.resolve("trace.json");

        assertThat(vblk("logs", "trace", log, "-o", file)).as(err.toString()).isZero();
        JsonNode trace = new ObjectMapper().readTree(file.toFile());
        long slices = 0;
        for (JsonNode e : trace.get("traceEvents")) {
            slices += e.get("ph").asText().equals("X") ? 1 : 0;
        }
        // a request slice and four phases per record
        assertThat(slices).isEqualTo(5 * 125);
        assertThat(err.toString()).contains("trace: 125 requests of 2 device(s) on ").contains(": " + file)
                .contains("ui.perfetto.dev");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(vblk("logs", "trace", log, "-o", "-")).isZero();
        assertThat(json().get("traceEvents").size()).isEqualTo(trace.get("traceEvents").size());

        err.getBuffer().setLength(0);
        Path guest = Fixtures.write(dir.resolve("guest.log"), Fixtures.seedLog().stream()
                .map(r -> Fixtures.guest(r, 1, 1)).toList());
        assertThat(vblk("logs", "trace", guest, "-o", file)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk logs trace: " + guest
                + " is a frontend log; trace reads backend logs (their stamps q i d c r)" + NL);
        err.getBuffer().setLength(0);
        Path nowhere = dir.resolve("no/such/trace.json");
        assertThat(vblk("logs", "trace", log, "-o", nowhere)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vblk logs trace: cannot write -o " + nowhere + ": no such directory "
                + nowhere.getParent() + NL);
        assertThat(Files.exists(nowhere.getParent())).isFalse();
        err.getBuffer().setLength(0);
        assertThat(vblk("logs", "trace", log)).isEqualTo(2);
        assertThat(err.toString()).startsWith("vblk logs trace: Missing required option: '--output=OUT.json'");
    }
}
