package io.vblk.logs;

import static io.vblk.logs.Fixtures.BASE;
import static io.vblk.logs.Fixtures.MS;
import static io.vblk.logs.Fixtures.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.requestlog.DepthSample;
import io.vblk.requestlog.IdleSample;
import io.vblk.requestlog.JsonLine;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.RunHeader;
import io.vblk.requestlog.Sample;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's sample lines in a backend log (idle counters, depth changes): skipped by what reads records,
 * read by {@code logs summary} and {@code logs trace}, within the run asked for.
 */
class SamplesTest {
    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    // the seed log's span is BASE to BASE + 126.508 ms
    private static final double SPAN_MS = 126.508;

    /** sda11's depth: 64 from before the span, 32 from 20 ms, 4 from 70 ms, 64 again after the span. */
    private static final List<DepthSample> DEPTHS = List.of(new DepthSample("sda11", BASE - S, 64),
            new DepthSample("sda11", BASE + 20 * MS, 32), new DepthSample("sda11", BASE + 70 * MS, 4),
            new DepthSample("sda11", BASE + 200 * MS, 64));
    /** sda12 idled for: 10 ms by 50 ms, then 20 % of the span by 120 ms. */
    private static final List<IdleSample> IDLES = List.of(new IdleSample("sda12", BASE + 50 * MS, 10 * MS, 3, 1),
            new IdleSample("sda12", BASE + 120 * MS, Math.round(0.2 * SPAN_MS * MS), 7, 2));

    /** The seed log with the samples spread among its records, as the backend's sampler thread writes them. */
    private Path seedWithSamples(String name) throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        lines.add(new RunHeader("run00001", "backend", "aio", "abc", "2026-01-01T00:00:00Z", BASE - S));
        lines.add(DEPTHS.get(0));
        List<RequestRecord> seed = Fixtures.seedLog();
        lines.addAll(seed.subList(0, 60));
        lines.addAll(DEPTHS.subList(1, 3));
        lines.add(IDLES.get(0));
        lines.addAll(seed.subList(60, seed.size()));
        lines.add(IDLES.get(1));
        lines.add(DEPTHS.get(3));
        return Fixtures.write(dir.resolve(name), lines);
    }

    @Test
    void readersOfRecordsSkipSamplesSilently() throws Exception {
        Path log = seedWithSamples("backend.log");
        List<RequestRecord> records = new ArrayList<>();

        long skipped = LogReader.each(List.of(log), RequestRecord.class, null, warnings::add, records::add);

        assertThat(records).hasSize(125);
        assertThat(skipped).isZero();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aSampleSinkGetsEverySampleOfTheRunAsked() throws Exception {
        Path log = seedWithSamples("backend.log");
        Files.writeString(log, new RunHeader("run00002", "backend", "aio", "abc", "2026-01-01T00:01:00Z", BASE + S).toJson()
                + "\n" + new DepthSample("sda11", BASE + 2 * S, 16).toJson() + "\n", StandardOpenOption.APPEND);
        List<Sample> first = new ArrayList<>();
        List<Sample> second = new ArrayList<>();

        LogReader.each(List.of(log), RequestRecord.class, "run00001", warnings::add, r -> {}, first::add);
        LogReader.each(List.of(log), RequestRecord.class, "run00002", warnings::add, r -> {}, second::add);

        assertThat(first).containsExactly(DEPTHS.get(0), DEPTHS.get(1), DEPTHS.get(2), IDLES.get(0), IDLES.get(1),
                DEPTHS.get(3));
        assertThat(second).containsExactly(new DepthSample("sda11", BASE + 2 * S, 16));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aSampleOfAnUnknownKindOrWithoutItsFieldsIsNamedAndSkipped() throws Exception {
        Path log = seedWithSamples("backend.log");
        Files.writeString(log, "{\"sample\":\"heat\",\"device\":\"sda11\",\"t\":1}\n"
                + "{\"sample\":\"depth\",\"device\":\"sda11\",\"t\":1}\n", StandardOpenOption.APPEND);
        List<Sample> samples = new ArrayList<>();

        long skipped = LogReader.each(List.of(log), RequestRecord.class, null, warnings::add, r -> {}, samples::add);

        assertThat(samples).hasSize(6);
        assertThat(skipped).isEqualTo(2);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("line 133").contains("a sample of an unknown kind");
        assertThat(warnings.get(1)).contains("line 134").contains("depth");
    }

    @Test
    void theSummaryGivesTheLastIdleCountersAndTheTimeWeightedDepth() throws Exception {
        BackendSummary s = new BackendSummary();
        LogReader.each(List.of(seedWithSamples("backend.log")), RequestRecord.class, null, warnings::add, s, s.samples());
        BackendReport r = s.report(List.of(Path.of("backend.log")), 0);

        BackendDevice sda11 = r.devices().get(0);
        BackendDevice sda12 = r.devices().get(1);
        assertThat(sda11.idling()).isNull();
        assertThat(sda11.depth().mean()).isCloseTo((64 * 20 + 32 * 50 + 4 * (SPAN_MS - 70)) / SPAN_MS, offset(1e-9));
        assertThat(sda11.depth().min()).isEqualTo(4);
        assertThat(sda11.depth().max()).isEqualTo(64);
        assertThat(sda11.depth().changes()).isEqualTo(2);
        assertThat(sda12.depth()).isNull();
        assertThat(sda12.idling().idleS()).isCloseTo(0.2 * SPAN_MS / 1e3, offset(1e-9));
        assertThat(sda12.idling().idleFraction()).isCloseTo(0.2, offset(1e-8));
        assertThat(sda12.idling().idleArrivals()).isEqualTo(7);
        assertThat(sda12.idling().idleTimeouts()).isEqualTo(2);
        assertThat(r.total().idling()).isNull();

        String text = SummaryText.format(r);
        String table = text.substring(text.indexOf("ended by arrival"));
        String sda12Row = table.lines().filter(l -> l.startsWith("sda12")).findFirst().orElseThrow();
        assertThat(sda12Row.split("\\s*\\|\\s*")).containsSubsequence("20.0%", "7", "2", "-");
        String sda11Row = table.lines().filter(l -> l.startsWith("sda11")).findFirst().orElseThrow();
        assertThat(sda11Row.split("\\s*\\|\\s*")).containsSubsequence("-", "24.6", "4", "64", "2");
    }

    @Test
    void aSummaryOfALogWithoutSamplesHasNoSampleTable() {
        BackendSummary s = new BackendSummary();
        Fixtures.seedLog().forEach(s);
        BackendReport r = s.report(List.of(Path.of("seed.log")), 0);

        assertThat(r.devices()).allSatisfy(d -> {
            assertThat(d.idling()).isNull();
            assertThat(d.depth()).isNull();
        });
        assertThat(SummaryText.format(r)).doesNotContain("depth mean");
    }

    @Test
    void theTraceDrawsTheDepthAndTheIdleTimeAsCounters() throws Exception {
        StringWriter out = new StringWriter();
        Trace.write(List.of(seedWithSamples("backend.log")), null, out, warnings::add);
        JsonNode trace = new ObjectMapper().readTree(out.toString());

        List<double[]> depth = new ArrayList<>();
        List<double[]> idle = new ArrayList<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if ("C".equals(e.get("ph").asText()) && "depth".equals(e.get("name").asText())) {
                depth.add(new double[] {e.get("ts").asDouble(), e.get("args").get("depth").asDouble()});
            }
            if ("C".equals(e.get("ph").asText()) && "idle".equals(e.get("name").asText())) {
                idle.add(new double[] {e.get("ts").asDouble(), e.get("args").get("ms").asDouble()});
            }
        }
        // the origin is the seed's first q, BASE; the depth at the backend's start is drawn at 0
        assertThat(depth).containsExactly(new double[] {0, 64}, new double[] {20_000, 32}, new double[] {70_000, 4},
                new double[] {200_000, 64});
        assertThat(idle).hasSize(2);
        assertThat(idle.get(0)).containsExactly(50_000, 10);
        assertThat(idle.get(1)[1]).isCloseTo(0.2 * SPAN_MS, offset(1e-6));
    }
}
