package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.result.BackendStats;
import io.vblk.result.DeviceResult;
import io.vblk.result.DeviceStats;
import io.vblk.result.Interval;
import io.vblk.result.Latency;
import io.vblk.result.LoadResult;
import io.vblk.result.VerifySummary;
import io.vblk.result.WindowFigures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * A variant's per-run records and its means: two hand-made runs of devices a (two load entries) and b, reduced
 * as an experiment reduces real runs. Each run's record must hold that run's own figures, and every mean must be
 * the mean of the records.
 */
class ReductionTest {
    private static final long S = 1_000_000_000L;

    private static DeviceResult entry(String name, long ios, double share, double iops, long p50, long p90, long p99,
                                      long p999, long errors) {
        return new DeviceResult(name, 0, ios, share, iops, iops * 4096 / 1e6, errors, new Latency(p50, p90, p99, p999,
                p50, p999 * 2));
    }

    private static DeviceStats stats(String name, int peak, long inServiceArea, long backlogArea, long backloggedNanos) {
        return new DeviceStats(name, 0, "aio", 0, 0, 0, 0, peak, inServiceArea, backlogArea, backloggedNanos, 0, 0,
                inServiceArea, List.of(), 0, 0, 0, 0, null);
    }

    private static LoadResult run(long seconds, List<DeviceResult> devices, int peakA, long backlogA, List<Interval> series) {
        BackendStats start = new BackendStats(0, "sfq", 32, 0, 0, 0, 0,
                List.of(stats("a", 0, 0, 0, 0), stats("b", 0, 0, 0, 0)));
        BackendStats end = new BackendStats(seconds * S, "sfq", 32, seconds * S / 2, 0, 0, 0,
                List.of(stats("a", peakA, 16 * seconds * S, backlogA * seconds * S, seconds * S * 3 / 4),
                        stats("b", 1, seconds * S, 0, seconds * S / 4)));
        Map<String, Integer> processes = new LinkedHashMap<>();
        processes.put("a", 16);
        processes.put("b", 16);
        return new LoadResult(seconds, devices, entry("total", 0, 1, 0, 0, 0, 0, 0, 0), start, end,
                WindowFigures.of(start, end, processes), 1.5, 2.5, VerifySummary.OFF, 0, List.of(), series);
    }

    private static List<Interval> series(long seconds, long a, long b) {
        return Interval.series(S, seconds * S, List.of("a", "b"), List.of(new long[] {a}, new long[] {b}));
    }

    /** Run 1: 1 s, a's two entries 600 + 200 I/Os of 1000; run 2: 2 s, a 900 + 300 of 2000. */
    private static List<LoadResult> runs() {
        return List.of(
                run(1, List.of(entry("a", 600, 0.6, 600, 100, 300, 900, 2000, 1), entry("b", 200, 0.2, 200, 50, 90, 400, 800, 0),
                        entry("a", 200, 0.2, 200, 120, 250, 1000, 1500, 0)), 24, 10, series(1, 800, 200)),
                run(2, List.of(entry("a", 900, 0.45, 450, 80, 200, 700, 1000, 2), entry("b", 800, 0.4, 400, 60, 100, 300, 600, 1),
                        entry("a", 300, 0.15, 150, 90, 210, 800, 1200, 0)), 40, 20, List.of()));
    }

    private static VariantResult reduce(List<LoadResult> runs) {
        return Reduction.of("two runs", Map.of(), "aio", "sfq", List.of("a", "b"), n -> n.equals("a") ? 75 : 25, runs, null);
    }

    @Test
    void eachRunsRecordHoldsThatRunsOwnFiguresAndAsManyEntriesAsADeviceHasAreOne() {
        VariantResult v = reduce(runs());

        assertThat(v.runs()).extracting(RunFigures::run).containsExactly(1, 2);
        assertThat(v.runs()).extracting(RunFigures::durationS).containsExactly(1.0, 2.0);
        RunFigures.Device a1 = v.runs().get(0).device("a");
        assertThat(a1.ios()).isEqualTo(800);
        assertThat(a1.share()).isCloseTo(0.8, within(1e-12));
        assertThat(a1.shareErrorPp()).isCloseTo(5.0, within(1e-9));
        assertThat(a1.iops()).isEqualTo(800.0);
        // the worst of its two entries, percentile by percentile
        assertThat(List.of(a1.p50Us(), a1.p90Us(), a1.p99Us(), a1.p999Us())).containsExactly(120L, 300L, 1000L, 2000L);
        assertThat(a1.errors()).isEqualTo(1);
        assertThat(a1.peakInService()).isEqualTo(24);
        assertThat(a1.backlogMean()).isEqualTo(10.0);
        assertThat(a1.backloggedFraction()).isEqualTo(0.75);
        assertThat(v.runs().get(1).device("a").peakInService()).isEqualTo(40);
        assertThat(v.runs().get(1).device("b").ios()).isEqualTo(800);
        assertThat(v.runs().get(0).allBackloggedFraction()).isEqualTo(0.5);
        assertThat(v.runs().get(0).loadAverageEnd()).isEqualTo(2.5);
    }

    @Test
    void everyMeanOfTheVariantIsTheMeanOfItsRunsRecords() {
        VariantResult v = reduce(runs());

        for (DeviceFigures d : v.devices()) {
            List<RunFigures.Device> rs = v.runs().stream().map(r -> r.device(d.name())).toList();
            Map<String, Function<DeviceFigures, Double>> means = new LinkedHashMap<>();
            Map<String, ToDoubleFunction<RunFigures.Device>> perRun = new LinkedHashMap<>();
            means.put("ios", DeviceFigures::ios);
            perRun.put("ios", RunFigures.Device::ios);
            means.put("share", DeviceFigures::share);
            perRun.put("share", RunFigures.Device::share);
            means.put("share_error_pp", DeviceFigures::shareErrorPp);
            perRun.put("share_error_pp", RunFigures.Device::shareErrorPp);
            means.put("iops", DeviceFigures::iops);
            perRun.put("iops", RunFigures.Device::iops);
            means.put("p50_us", DeviceFigures::p50Us);
            perRun.put("p50_us", RunFigures.Device::p50Us);
            means.put("p90_us", DeviceFigures::p90Us);
            perRun.put("p90_us", RunFigures.Device::p90Us);
            means.put("p99_us", DeviceFigures::p99Us);
            perRun.put("p99_us", RunFigures.Device::p99Us);
            means.put("p999_us", DeviceFigures::p999Us);
            perRun.put("p999_us", RunFigures.Device::p999Us);
            means.put("in_service_mean", DeviceFigures::inServiceMean);
            perRun.put("in_service_mean", RunFigures.Device::inServiceMean);
            means.put("backlog_mean", DeviceFigures::backlogMean);
            perRun.put("backlog_mean", RunFigures.Device::backlogMean);
            means.put("backlogged_fraction", DeviceFigures::backloggedFraction);
            perRun.put("backlogged_fraction", RunFigures.Device::backloggedFraction);
            means.put("load_held_fraction", DeviceFigures::loadHeldFraction);
            perRun.put("load_held_fraction", RunFigures.Device::loadHeldFraction);
            for (String key : means.keySet()) {
                assertThat(means.get(key).apply(d)).as("%s %s", d.name(), key)
                        .isCloseTo(rs.stream().mapToDouble(perRun.get(key)).average().orElseThrow(), within(1e-9));
            }
            assertThat(d.errors()).as("errors: the sum over the runs").isEqualTo(rs.stream().mapToLong(RunFigures.Device::errors).sum());
            assertThat(d.peakInService()).as("peak: the most of any run")
                    .isEqualTo(rs.stream().mapToInt(RunFigures.Device::peakInService).max().orElseThrow());
            assertThat(d.p50Us()).isLessThanOrEqualTo(d.p90Us());
            assertThat(d.p90Us()).isLessThanOrEqualTo(d.p99Us());
            assertThat(d.p99Us()).isLessThanOrEqualTo(d.p999Us());
        }
        // a's shares 0.8 and 0.6: the spread is their sample standard deviation, in pp
        assertThat(v.devices().get(0).shareSpreadPp()).isCloseTo(100 * Math.sqrt(0.02), within(1e-9));
        assertThat(v.allBackloggedFraction()).isEqualTo(v.runs().stream().mapToDouble(RunFigures::allBackloggedFraction)
                .average().orElseThrow());
    }

    @Test
    void aRunsSeriesIsKeptAsItCameAndARunWithoutOneHasAnEmptyOne() {
        VariantResult v = reduce(runs());

        assertThat(v.runs().get(0).intervals()).isEqualTo(runs().get(0).intervals());
        assertThat(v.runs().get(0).intervals().get(0).device("a").share()).isEqualTo(0.8);
        assertThat(v.runs().get(1).intervals()).isEmpty();
    }

    @Test
    void theJsonHoldsTheRunsBesideTheMeansWithUnitsInTheKeys() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("reduction", ".json");
        try {
            JsonReport.writeValue(reduce(runs()), file);
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
            assertThat(root.path("devices").get(0).fieldNames()).toIterable()
                    .contains("p50_us", "p90_us", "p99_us", "p999_us", "share_spread_pp");
            com.fasterxml.jackson.databind.JsonNode run = root.path("runs").get(0);
            assertThat(run.fieldNames()).toIterable().contains("run", "duration_s", "host_limit", "devices", "intervals");
            assertThat(run.path("devices").get(0).path("p999_us").asLong()).isEqualTo(2000);
            assertThat(run.path("intervals").get(0).fieldNames()).toIterable().containsExactly("start_s", "end_s", "devices");
            assertThat(run.path("intervals").get(0).path("devices").get(1).path("ios").asLong()).isEqualTo(200);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
