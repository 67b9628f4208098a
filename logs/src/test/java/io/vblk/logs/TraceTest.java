package io.vblk.logs;

import static io.vblk.logs.Fixtures.BASE;
import static io.vblk.logs.Fixtures.MS;
import static io.vblk.logs.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.requestlog.RequestRecord;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace read back as a viewer reads it: every record's request slice and four phase slices at its own
 * stamps, no two requests of a track overlapping, and counters that equal what the records say at each sample.
 */
class TraceTest {
    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    /** Slices and samples as read back: (pid, tid) is a track. */
    private record Slice(int pid, int tid, String name, BigDecimal ts, BigDecimal dur) {}

    private JsonNode trace(List<RequestRecord> records) throws Exception {
        Path log = Fixtures.write(dir.resolve("backend.log"), records);
        StringWriter out = new StringWriter();
        Trace.Written w = Trace.write(List.of(log), null, out, warnings::add);
        assertThat(w.requests()).isEqualTo(records.size());
        return new ObjectMapper().readTree(out.toString());
    }

    /** The seed log, and sda11 as an aio device holding many at once: 40 reads all arriving within 40 us. */
    private static List<RequestRecord> crowded() {
        List<RequestRecord> log = new ArrayList<>(Fixtures.seedLog());
        for (int n = 0; n < 40; n++) {
            long q = BASE + 200 * MS + n * US;
            log.add(new RequestRecord("sda11", 1, n, 1000 + n, "IN", n * 8, 4096, "OK", 80, "aio", q, q + US,
                    q + (n + 2) * 50 * US, q + (n + 2) * 50 * US + 500 * US, q + (n + 2) * 50 * US + 510 * US, n + 1, 8, 2));
        }
        return log;
    }

    @Test
    void everyRecordIsARequestSliceHoldingItsFourPhasesAtItsOwnStamps() throws Exception {
        List<RequestRecord> records = crowded();
        JsonNode trace = trace(records);
        assertThat(trace.get("traceEvents").isArray()).isTrue();
        long origin = records.stream().mapToLong(RequestRecord::q).min().orElseThrow();
        assertThat(trace.get("otherData").get("origin_ns").asLong()).isEqualTo(origin);

        Map<Integer, String> processes = new HashMap<>();
        Map<String, Slice> requests = new HashMap<>();
        List<Slice> phases = new ArrayList<>();
        for (JsonNode e : trace.get("traceEvents")) {
            String ph = e.get("ph").asText();
            if (ph.equals("M") && e.get("name").asText().equals("process_name")) {
                processes.put(e.get("pid").asInt(), e.get("args").get("name").asText());
            } else if (ph.equals("X")) {
                Slice s = new Slice(e.get("pid").asInt(), e.get("tid").asInt(), e.get("name").asText(),
                        e.get("ts").decimalValue(), e.get("dur").decimalValue());
                if (e.get("cat").asText().equals("request")) {
                    JsonNode a = e.get("args");
                    assertThat(requests.put(s.pid() + "/" + a.get("conn").asLong() + "/" + a.get("seq").asLong(), s))
                            .as("one request slice per request").isNull();
                } else {
                    phases.add(s);
                }
            }
        }
        assertThat(processes.values()).containsExactlyInAnyOrder("sda11 (weight 80, aio)", "sda12 (weight 20, aio)");
        Map<String, Integer> pid = new HashMap<>();
        processes.forEach((p, name) -> pid.put(name.substring(0, name.indexOf(' ')), p));

        assertThat(requests).hasSize(records.size());
        List<Slice> expectedPhases = new ArrayList<>();
        for (RequestRecord r : records) {
            Slice s = requests.get(pid.get(r.device()) + "/" + r.conn() + "/" + r.seq());
            assertThat(s).as("%s #%d", r.device(), r.seq()).isNotNull();
            assertThat(s.name()).isEqualTo(r.type());
            assertThat(s.ts()).isEqualByComparingTo(micros(r.q() - origin));
            assertThat(s.dur()).isEqualByComparingTo(micros(r.r() - r.q()));
            long[] stamps = {r.q(), r.i(), r.d(), r.c(), r.r()};
            String[] names = {"Q2I", "I2D", "D2C", "C2R"};
            for (int p = 0; p < 4; p++) {
                expectedPhases.add(new Slice(s.pid(), s.tid(), names[p], micros(stamps[p] - origin).stripTrailingZeros(),
                        micros(stamps[p + 1] - stamps[p]).stripTrailingZeros()));
            }
        }
        assertThat(phases.stream().map(p -> new Slice(p.pid(), p.tid(), p.name(), p.ts().stripTrailingZeros(),
                p.dur().stripTrailingZeros())).toList()).containsExactlyInAnyOrderElementsOf(expectedPhases);

        // a track holds one request at a time: the 40 crowded reads need lanes of their own
        Map<String, List<Slice>> byTrack = new HashMap<>();
        requests.values().forEach(s -> byTrack.computeIfAbsent(s.pid() + "/" + s.tid(), k -> new ArrayList<>()).add(s));
        for (List<Slice> track : byTrack.values()) {
            track.sort((a, b) -> a.ts().compareTo(b.ts()));
            for (int k = 1; k < track.size(); k++) {
                assertThat(track.get(k).ts()).as("no overlap on a track")
                        .isGreaterThanOrEqualTo(track.get(k - 1).ts().add(track.get(k - 1).dur()));
            }
        }
        assertThat(byTrack.size()).isGreaterThanOrEqualTo(40);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theCountersSayWhatTheRecordsSayAtEverySample() throws Exception {
        List<RequestRecord> records = crowded();
        JsonNode trace = trace(records);
        long origin = records.stream().mapToLong(RequestRecord::q).min().orElseThrow();
        Map<Integer, String> devices = new HashMap<>();
        trace.get("traceEvents").forEach(e -> {
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("process_name")) {
                String name = e.get("args").get("name").asText();
                devices.put(e.get("pid").asInt(), name.substring(0, name.indexOf(' ')));
            }
        });
        int samples = 0;
        long peak = 0;
        for (JsonNode e : trace.get("traceEvents")) {
            if (!e.get("ph").asText().equals("C")) {
                continue;
            }
            samples++;
            String device = devices.get(e.get("pid").asInt());
            long at = e.get("ts").decimalValue().movePointRight(3).longValueExact() + origin;
            boolean inService = e.get("name").asText().equals("in service");
            assertThat(e.get("name").asText()).isIn("in service", "backlog");
            // in service from admission (i) to completion (c); backlogged from admission to dispatch (d)
            long expected = records.stream().filter(r -> r.device().equals(device) && r.i() <= at
                    && at < (inService ? r.c() : r.d())).count();
            assertThat(e.get("args").get("requests").asLong()).as("%s %s at %d", device, e.get("name").asText(), at)
                    .isEqualTo(expected);
            if (inService && device.equals("sda11")) {
                peak = Math.max(peak, expected);
            }
        }
        assertThat(samples).isGreaterThan(4 * 40);
        // every crowded read was in service at once before the first completed
        assertThat(peak).isEqualTo(40);
    }

    @Test
    void eachLiveChangeIsAGlobalInstantEventAtItsStamp() throws Exception {
        List<io.vblk.requestlog.JsonLine> lines = new ArrayList<>(Fixtures.seedLog());
        lines.add(new io.vblk.requestlog.ControlRecord("weight", "sda11", BASE + 50 * MS, "80", "50"));
        Path log = Fixtures.write(dir.resolve("changed.log"), lines);
        StringWriter out = new StringWriter();
        Trace.write(List.of(log), null, out, warnings::add);

        List<JsonNode> instants = new ArrayList<>();
        new ObjectMapper().readTree(out.toString()).get("traceEvents").forEach(e -> {
            if ("i".equals(e.get("ph").asText())) {
                instants.add(e);
            }
        });
        assertThat(instants).hasSize(1);
        assertThat(instants.get(0).get("name").asText()).isEqualTo("sda11 weight 80 -> 50");
        assertThat(instants.get(0).get("s").asText()).isEqualTo("g");
        assertThat(instants.get(0).get("ts").decimalValue()).isEqualByComparingTo(micros(50 * MS));
    }

    @Test
    void onlyTheRunAskedForIsTraced() throws Exception {
        List<io.vblk.requestlog.JsonLine> lines = new ArrayList<>();
        lines.add(new io.vblk.requestlog.RunHeader("oldrun00", "backend", "aio", "abc", "2026-01-01T00:00:00Z", 0));
        lines.addAll(Fixtures.seedLog());
        lines.add(new io.vblk.requestlog.RunHeader("newrun00", "backend", "aio", "abc", "2026-01-01T00:01:00Z", 0));
        lines.add(Fixtures.EXAMPLE);
        Path log = Fixtures.write(dir.resolve("two.log"), lines);
        StringWriter out = new StringWriter();
        assertThat(Trace.write(List.of(log), "newrun00", out, warnings::add).requests()).isEqualTo(1);
        JsonNode trace = new ObjectMapper().readTree(out.toString());
        assertThat(trace.get("otherData").get("run").asText()).isEqualTo("newrun00");
        assertThat(trace.get("otherData").get("origin_ns").asLong()).isEqualTo(Fixtures.EXAMPLE.q());
        assertThat(Trace.write(List.of(log), null, new StringWriter(), warnings::add).requests()).isEqualTo(126);
    }

    private static BigDecimal micros(long nanos) {
        return BigDecimal.valueOf(nanos, 3);
    }
}
