package io.vblk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.logs.Fixtures;
import io.vblk.requestlog.JsonLine;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.RunHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs with appended runs and records out of order: each tool names its run, counts from the earliest stamp, sorts. */
class LogRunsTest {
    private static final long S = 1_000_000_000L;
    @TempDir
    Path dir;
    private final Cli cli = new Cli();

    private static RequestRecord at(long seq, long q) {
        return new RequestRecord("vm1", 0, 1, seq, "IN", seq * 8, 4096, "OK", 1, "aio", q, q, q, q + 1000, q + 2000, 1, 1, 1);
    }

    private static RunHeader header(String id, long startNs) {
        return new RunHeader(id, "backend", "aio", "abc", "2026-01-01T00:00:00Z", startNs);
    }

    /** Two runs: an old one of 5 records, then this one, whose second line is a second earlier than its first. */
    private Path twoRuns() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        lines.add(header("oldrun00", 0));
        for (int i = 0; i < 5; i++) {
            lines.add(at(i, 100 * S + i));
        }
        lines.add(header("newrun00", 200 * S));
        lines.add(at(0, 300 * S));
        lines.add(at(1, 299 * S));
        lines.add(at(2, 300 * S + 5));
        return Fixtures.write(dir.resolve("backend.log"), lines);
    }

    @Test
    void summaryReadsTheLastRunAndNamesIt() throws Exception {
        Path log = twoRuns();
        assertThat(cli.run("logs", "summary", log, "--output-format", "json")).as(cli.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(cli.out());
        assertThat(j.get("records").asLong()).isEqualTo(3);
        assertThat(cli.err()).contains("run newrun00 (backend, aio", "2 runs in the log");

        cli.clear();
        assertThat(cli.run("logs", "summary", log, "--run", "all", "--output-format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(cli.out()).get("records").asLong()).isEqualTo(8);
        cli.clear();
        assertThat(cli.run("logs", "summary", log, "--run", "old", "--output-format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(cli.out()).get("records").asLong()).isEqualTo(5);
        assertThat(cli.run("logs", "summary", log, "--run", "nosuch")).isEqualTo(2);
        assertThat(cli.err()).contains("no run nosuch; its runs: oldrun00", "newrun00");
    }

    @Test
    void timelineStartsAtTheEarliestStampAndGrepPrintsInArrivalOrder() throws Exception {
        Path log = twoRuns();
        assertThat(cli.run("logs", "timeline", log, "--output-format", "csv")).as(cli.err()).isZero();
        List<String> rows = cli.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("start_s,ios,vm1_ios,vm1_share");
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).doesNotStartWith("-"));
        assertThat(rows.get(1)).startsWith("0.00000,1,");

        cli.clear();
        assertThat(cli.run("logs", "grep", log)).isZero();
        List<String> lines = cli.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(l -> l.trim().split("\\s+")[0])
                .containsExactly("0.000000", "1.000000", "1.000000");
        assertThat(lines).extracting(l -> l.trim().split("\\s+")[3]).containsExactly("#1", "#0", "#2");
    }

    @Test
    void summaryJsonCanGoToAFileOrToStdoutWithTheTableOnStderr() throws Exception {
        Path log = twoRuns();
        Path json = dir.resolve("s.json");
        assertThat(cli.run("logs", "summary", log, "--json", json)).isZero();
        assertThat(cli.out()).contains("device");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("records").asLong()).isEqualTo(3);

        cli.clear();
        assertThat(cli.run("logs", "summary", log, "--json", "-")).isZero();
        assertThat(new ObjectMapper().readTree(cli.out()).get("records").asLong()).isEqualTo(3);
        assertThat(cli.err()).contains("device");
        assertThat(Files.exists(Path.of("-"))).isFalse();
    }

    @Test
    void traceReadsTheLastRunNamesItAndStartsAtItsEarliestStamp() throws Exception {
        Path log = twoRuns();
        Path trace = dir.resolve("trace.json");
        assertThat(cli.run("logs", "trace", log, "-o", trace)).as(cli.err()).isZero();
        assertThat(cli.err()).contains("run newrun00 (backend, aio", "2 runs in the log", "trace: 3 requests");
        JsonNode t = new ObjectMapper().readTree(trace.toFile());
        List<Double> starts = new ArrayList<>();
        t.get("traceEvents").forEach(e -> {
            if (e.get("ph").asText().equals("X") && e.get("cat").asText().equals("request")) {
                starts.add(e.get("ts").asDouble());
            }
        });
        // the second line arrived a second before the first: it is the origin, nothing is negative
        assertThat(starts).containsExactlyInAnyOrder(0.0, 1_000_000.0, 1_000_000.005);
        assertThat(t.get("otherData").get("run").asText()).isEqualTo("newrun00");

        cli.clear();
        assertThat(cli.run("logs", "trace", log, "--run", "all", "-o", trace)).isZero();
        assertThat(cli.err()).contains("trace: 8 requests");
    }
}
