package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.cli.VblkMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small real experiment (two devices, two runs of 1 s, each against its own backend process) through the
 * command line, read back from its JSON: every per-run record must agree with the variant's mean, each run's
 * interval series must cover its measured window and count exactly the run's I/Os, and the latency
 * percentiles must be ordered. None of these figures is written by the test: the runs measure them.
 */
class ExperimentRunsEndToEndTest {
    private static final String SCENARIO = """
            name: runs
            duration: 1s
            warmup: 300ms
            repeat: 2
            backend:
              mode: aio
              scheduler: {policy: sfq, depth: 8}
              disk: {service-time: 500us, parallelism: 4}
              devices:
                - {name: a, size: 64MiB, store: ram, weight: 80}
                - {name: b, size: 64MiB, store: ram, weight: 20}
            load:
              - {device: a, processes: 8, pattern: randread, block-size: 4KiB}
              - {device: b, processes: 4, pattern: randread, block-size: 4KiB}
              - {device: b, processes: 4, pattern: randwrite, block-size: 4KiB}
            variants:
              - {label: aio}
            """;
    /** The figures each run has per device whose variant figure is their mean over the runs. */
    private static final List<String> MEANS = List.of("ios", "share", "share_error_pp", "iops", "p50_us", "p90_us",
            "p99_us", "p999_us", "in_service_mean", "backlog_mean", "backlogged_fraction", "load_held_fraction",
            "idle_fraction", "idle_arrivals", "idle_timeouts");

    @TempDir
    Path dir;

    private JsonNode experiment(String... extra) throws Exception {
        Path scenario = dir.resolve("runs.yaml");
        Files.writeString(scenario, SCENARIO);
        Path json = dir.resolve("runs-" + extra.length + ".json");
        List<String> args = new ArrayList<>(List.of("experiment", scenario.toString(), "-q", "--json", json.toString()));
        args.addAll(List.of(extra));
        assertThat(VblkMain.commandLine().execute(args.toArray(String[]::new))).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void theRunsAgreeWithTheMeansAndEachRunsSeriesCountsItsWindow() throws Exception {
        JsonNode root = experiment("--interval", "250ms");
        assertThat(root.path("interval_s").asDouble()).isEqualTo(0.25);
        JsonNode variant = root.path("variants").get(0);
        JsonNode runs = variant.path("runs");
        assertThat(runs.size()).isEqualTo(2);
        for (JsonNode mean : variant.path("devices")) {
            String name = mean.path("name").asText();
            List<JsonNode> own = new ArrayList<>();
            runs.forEach(r -> r.path("devices").forEach(d -> {
                if (d.path("name").asText().equals(name)) {
                    own.add(d);
                }
            }));
            assertThat(own).as("a record of %s in every run", name).hasSize(2);
            assertThat(own.get(0).path("ios").asLong()).as("%s measured I/Os in run 1", name).isPositive();
            for (String key : MEANS) {
                double m = own.stream().mapToDouble(d -> d.path(key).asDouble()).average().orElseThrow();
                assertThat(mean.path(key).asDouble()).as("%s %s: the mean of the runs'", name, key)
                        .isCloseTo(m, within(1e-9 * Math.max(1, Math.abs(m))));
            }
            assertThat(mean.path("errors").asLong()).isEqualTo(own.stream().mapToLong(d -> d.path("errors").asLong()).sum());
            assertThat(mean.path("peak_in_service").asInt())
                    .isEqualTo(own.stream().mapToInt(d -> d.path("peak_in_service").asInt()).max().orElseThrow());
            for (JsonNode d : List.of(mean, own.get(0), own.get(1))) {
                assertThat(d.path("p50_us").asDouble()).as("%s p50 <= p90", name).isLessThanOrEqualTo(d.path("p90_us").asDouble());
                assertThat(d.path("p90_us").asDouble()).as("%s p90 <= p99", name).isLessThanOrEqualTo(d.path("p99_us").asDouble());
                assertThat(d.path("p99_us").asDouble()).as("%s p99 <= p99.9", name).isLessThanOrEqualTo(d.path("p999_us").asDouble());
                assertThat(d.path("p50_us").asDouble()).as("%s p50", name).isPositive();
            }
        }
        for (JsonNode run : runs) {
            JsonNode series = run.path("intervals");
            double window = run.path("duration_s").asDouble();
            // 1 s in 0.25 s intervals: four however late the close, the last taking what came after the planned end
            assertThat(series.size()).as("run %d's intervals", run.path("run").asInt()).isEqualTo(4);
            assertThat(series.get(0).path("start_s").asDouble()).isZero();
            for (int k = 1; k < series.size(); k++) {
                assertThat(series.get(k).path("start_s").asDouble()).isEqualTo(series.get(k - 1).path("end_s").asDouble());
            }
            assertThat(series.get(series.size() - 1).path("end_s").asDouble()).isCloseTo(window, within(1e-9));
            for (JsonNode d : run.path("devices")) {
                String name = d.path("name").asText();
                long sum = 0;
                for (JsonNode interval : series) {
                    JsonNode di = null;
                    for (JsonNode x : interval.path("devices")) {
                        if (x.path("name").asText().equals(name)) {
                            di = x;
                        }
                    }
                    assertThat(di).as("%s in every interval", name).isNotNull();
                    double seconds = interval.path("end_s").asDouble() - interval.path("start_s").asDouble();
                    assertThat(di.path("iops").asDouble()).isCloseTo(di.path("ios").asLong() / seconds, within(1e-6));
                    sum += di.path("ios").asLong();
                }
                // counted by the same completion instant that decides whether an I/O is measured: no slack at the edges
                assertThat(sum).as("run %d: %s's intervals sum to its I/Os", run.path("run").asInt(), name)
                        .isEqualTo(d.path("ios").asLong());
            }
            for (JsonNode interval : series) {
                double shares = 0;
                for (JsonNode x : interval.path("devices")) {
                    shares += x.path("share").asDouble();
                }
                assertThat(shares).as("the devices' shares of an interval").isCloseTo(1.0, within(1e-9));
            }
        }
    }

    @Test
    void intervalOffKeepsNoSeries() throws Exception {
        JsonNode root = experiment("--interval", "off", "--repeat", "1", "--duration", "300ms", "--warmup", "0s");
        assertThat(root.path("interval_s").isNull()).isTrue();
        JsonNode run = root.path("variants").get(0).path("runs").get(0);
        assertThat(run.path("intervals").isArray()).isTrue();
        assertThat(run.path("intervals").size()).isZero();
        assertThat(run.path("devices").get(0).path("ios").asLong()).isPositive();
    }
}
