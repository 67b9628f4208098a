package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import io.vblk.config.LoadConfig;
import io.vblk.load.LoadRunner;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.RequestRecord;
import io.vblk.result.LoadResult;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run, logged on both sides: the frontend's and the backend's logs hold the same requests, they join
 * one to one on (device, queue, seq), and each pair is consistent in what it says and when.
 */
class RequestLogEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void bothSidesLogTheSameRequests() throws Exception {
        Path backendLog = dir.resolve("backend.jsonl");
        Path guestLog = dir.resolve("guest.jsonl");
        BackendConfig cfg = logged(backendLog, "scheduler: {policy: sfq, depth: 8}\n"
                + "disk: {service-time: 100us, parallelism: 4}\n"
                + "devices:\n  - {name: a, size: 64MiB, weight: 80}\n  - {name: b, size: 64MiB, weight: 20, mode: sync}\n");
        LoadResult result;
        long completedA;
        long completedB;
        Backend backend = Backend.start(cfg);
        try {
            LoadConfig load = load(backend, "  - {device: a, processes: 32, pattern: randrw}\n"
                    + "  - {device: b, processes: 32, pattern: randrw}\n");
            result = new LoadRunner(load, LoadRunner.Options.of(Duration.ofMillis(300), Duration.ofSeconds(1))
                    .withRequestLog(guestLog, false)).run();
            completedA = backend.stats().device("a").completed();
            completedB = backend.stats().device("b").completed();
        } finally {
            backend.close();
        }
        assertThat(result.problems()).isEmpty();

        Map<String, RequestRecord> seen = new HashMap<>();
        for (String line : Files.readAllLines(backendLog).stream().skip(1).toList()) { // after the run header
            RequestRecord r = JSON.readValue(line, RequestRecord.class);
            assertThat(seen.put(key(r.device(), r.queue(), r.seq()), r)).as("one record per request").isNull();
        }
        List<String> guestLines = Files.readAllLines(guestLog).stream().skip(1).toList(); // after the run header
        assertThat(seen.values().stream().filter(r -> r.device().equals("a")).count()).isEqualTo(completedA);
        assertThat(seen.values().stream().filter(r -> r.device().equals("b")).count()).isEqualTo(completedB);
        assertThat(guestLines).hasSize(seen.size());
        for (String line : guestLines) {
            GuestRecord g = JSON.readValue(line, GuestRecord.class);
            RequestRecord r = seen.get(key(g.device(), g.queue(), g.seq()));
            assertThat(r).as("backend record for %s", g).isNotNull();
            assertThat(r.sector()).isEqualTo(g.sector());
            assertThat(r.type()).isEqualTo(g.type());
            assertThat(r.desc()).isEqualTo(g.desc());
            assertThat(r.status()).isEqualTo(g.status());
            // one monotonic clock in this JVM: the request reached the backend after it left the guest, and so on
            assertThat(g.submit() <= r.q() && r.q() <= r.r() && r.r() <= g.complete()).as("%s / %s", g, r).isTrue();
        }
    }

    @Test
    void summariesOfBothLogsCountWhatTheRunCounted() throws Exception {
        bothSidesLogTheSameRequests();
        JsonNode backend = summary(dir.resolve("backend.jsonl"));
        JsonNode guest = summary(dir.resolve("guest.jsonl"));
        assertThat(backend.path("records").asLong()).isEqualTo(guest.path("records").asLong()).isPositive();
        for (int i = 0; i < 2; i++) {
            JsonNode b = backend.path("devices").get(i);
            JsonNode g = guest.path("devices").get(i);
            assertThat(b.path("name").asText()).isEqualTo(g.path("name").asText());
            assertThat(b.path("ios").asLong()).as("I/Os of %s", b.path("name").asText()).isEqualTo(g.path("ios").asLong());
        }
    }

    /**
     * {@code logs summary} recomputes the scheduler's backlog figures from the log's I and D stamps, which are
     * the scheduler's own: over a whole run they must agree with its counters exactly.
     */
    @Test
    void theLogsBacklogFiguresAreTheSchedulersCounters() throws Exception {
        Path log = dir.resolve("backend.jsonl");
        BackendConfig cfg = logged(log, "scheduler: {policy: sfq, depth: 4}\ndisk: {service-time: 200us, parallelism: 2}\n"
                + "devices:\n  - {name: a, size: 64MiB, weight: 80}\n  - {name: b, size: 64MiB, weight: 20}\n");
        BackendStats stats;
        Backend backend = Backend.start(cfg);
        try {
            LoadConfig load = load(backend, "  - {device: a, processes: 16, pattern: randread}\n"
                    + "  - {device: b, processes: 16, pattern: randread}\n");
            assertThat(new LoadRunner(load, LoadRunner.Options.of(Duration.ofMillis(200), Duration.ofSeconds(1))).run()
                    .problems()).isEmpty();
            stats = backend.stats();
        } finally {
            backend.close();
        }
        JsonNode summary = summary(log);
        double spanNanos = summary.path("span_s").asDouble() * 1e9;
        long decidedAll = stats.devices().stream().mapToLong(DeviceStats::dispatchedAllBacklogged).sum();
        assertThat(decidedAll).as("decisions while both were backlogged").isPositive();
        assertThat(summary.path("all_backlogged_fraction").asDouble() * spanNanos).as("all backlogged, ns")
                .isCloseTo((double) stats.allBackloggedNanos(), within(1.0));
        for (JsonNode d : summary.path("devices")) {
            DeviceStats s = stats.device(d.path("name").asText());
            assertThat(d.path("backlogged_fraction").asDouble() * spanNanos).as("%s backlogged, ns", s.name())
                    .isCloseTo((double) s.backloggedNanos(), within(1.0));
            assertThat(d.path("share_backlogged").asDouble()).as("%s's share while both were backlogged", s.name())
                    .isCloseTo((double) s.dispatchedAllBacklogged() / decidedAll, within(1e-9));
        }
        assertThat(summary.path("explanation").asText()).isNotEmpty();
    }

    /** An aio backend on an ephemeral port that logs every request to {@code log}. */
    private static BackendConfig logged(Path log, String rest) {
        return ConfigLoader.parse("port: 0\nmode: aio\nlog: {requests: " + log + "}\n" + rest, BackendConfig.class, "test");
    }

    private static LoadConfig load(Backend b, String specs) {
        return ConfigLoader.parse("target: 127.0.0.1:" + b.address().getPort() + "\nload:\n" + specs, LoadConfig.class,
                "test");
    }

    private static JsonNode summary(Path log) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = io.vblk.cli.VblkMain.commandLine();
        cl.setOut(new java.io.PrintWriter(out));
        assertThat(cl.execute("logs", "summary", log.toString(), "--output-format", "json")).isZero();
        return JSON.readTree(out.toString());
    }

    private static String key(String device, int queue, long seq) {
        return device + "/" + queue + "/" + seq;
    }
}
