package io.vblk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.logs.Fixtures;
import io.vblk.requestlog.JsonLine;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.RunHeader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Logs with appended runs and records out of order: each tool names its run, counts from the earliest stamp, sorts. */
class LogRunsTest {
    private static final long S = 1_000_000_000L;
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
        assertThat(vblk("logs", "summary", log, "--output-format", "json")).as(err.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertThat(j.get("records").asLong()).isEqualTo(3);
        assertThat(err.toString()).contains("run newrun00 (backend, aio", "2 runs in the log");

        out.getBuffer().setLength(0);
        assertThat(vblk("logs", "summary", log, "--run", "all", "--output-format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("records").asLong()).isEqualTo(8);
        out.getBuffer().setLength(0);
        assertThat(vblk("logs", "summary", log, "--run", "old", "--output-format", "json")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("records").asLong()).isEqualTo(5);
        assertThat(vblk("logs", "summary", log, "--run", "nosuch")).isEqualTo(2);
        assertThat(err.toString()).contains("no run nosuch; its runs: oldrun00", "newrun00");
    }

    @Test
    void timelineStartsAtTheEarliestStampAndGrepPrintsInArrivalOrder() throws Exception {
        Path log = twoRuns();
        assertThat(vblk("logs", "timeline", log, "--output-format", "csv")).as(err.toString()).isZero();
        List<String> rows = out.toString().lines().toList();
        assertThat(rows.get(0)).isEqualTo("start_s,ios,vm1_ios,vm1_share");
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).doesNotStartWith("-"));
        assertThat(rows.get(1)).startsWith("0.00000,1,");

        out.getBuffer().setLength(0);
        assertThat(vblk("logs", "grep", log)).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(l -> l.trim().split("\\s+")[0])
                .containsExactly("0.000000", "1.000000", "1.000000");
        assertThat(lines).extracting(l -> l.trim().split("\\s+")[3]).containsExactly("#1", "#0", "#2");
    }

    @Test
    void summaryJsonCanGoToAFileOrToStdoutWithTheTableOnStderr() throws Exception {
        Path log = twoRuns();
        Path json = dir.resolve("s.json");
        assertThat(vblk("logs", "summary", log, "--json", json)).isZero();
        assertThat(out.toString()).contains("device");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("records").asLong()).isEqualTo(3);

        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(vblk("logs", "summary", log, "--json", "-")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("records").asLong()).isEqualTo(3);
        assertThat(err.toString()).contains("device");
        assertThat(Files.exists(Path.of("-"))).isFalse();
    }
}
