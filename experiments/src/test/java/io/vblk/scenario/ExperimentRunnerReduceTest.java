package io.vblk.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.vblk.config.BackendConfig;
import io.vblk.config.ByteSize;
import io.vblk.config.DeviceConfig;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Mode;
import io.vblk.config.SchedulerConfig;
import io.vblk.report.DeviceFigures;
import io.vblk.result.DeviceResult;
import io.vblk.result.Latency;
import io.vblk.result.LoadResult;
import io.vblk.report.VariantResult;
import io.vblk.result.VerifySummary;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two hand-made repeats of an 80/20 experiment (a in aio, b in sync), reduced as ExperimentRunner reduces real
 * runs. Run 1 measures 2 s, run 2 measures 4 s, so the time-weighted means come from the integrals' growth.
 */
class ExperimentRunnerReduceTest {
    private static final long S = 1_000_000_000L;

    private static DeviceConfig device(String name, int weight, Mode mode) {
        return DeviceConfig.of(name, ByteSize.of(1L << 30), "ram", weight, mode);
    }

    private static Scenario.Variant variant(List<DeviceConfig> devices, List<String> driven, SchedulerConfig.Policy policy) {
        BackendConfig backend = new BackendConfig(null, 0, Mode.AIO, null,
                new SchedulerConfig(policy, 32, null, null, null), null, null, null, null, null, null, null, devices, null);
        List<LoadSpec> load = driven.stream().map(d -> new LoadSpec(d, 16, null, null, null, null)).toList();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("backend.scheduler.policy", policy.label());
        return new Scenario.Variant("two runs", keys, backend, "", new LoadConfig(null, false, null, null, load, null, null, null, null),
                List.of(), List.copyOf(new java.util.LinkedHashSet<>(driven)));
    }

    private static Scenario.Variant eightyTwenty() {
        return variant(List.of(device("a", 80, null), device("b", 20, Mode.SYNC)), List.of("a", "b"),
                SchedulerConfig.Policy.IOBAND);
    }

    private static DeviceResult result(String name, long ios, double share, double iops, long p99, long errors) {
        return new DeviceResult(name, 0, ios, share, iops, iops * 4096 / 1e6, errors, new Latency(p99 / 2, p99 * 3 / 4, p99, p99 * 2, p99 / 3.0, p99 * 3));
    }

    /** Counters of one device at one instant; backlogged time grows with the backlog, held requests with in service. */
    private static DeviceStats stats(String name, int peak, long inServiceArea, long backlogArea) {
        return new DeviceStats(name, 0, "aio", 0, 0, 0, 0, peak, inServiceArea, backlogArea, backlogArea / 100, 0, 0,
                16 * inServiceArea, List.of(), 0, 0, 0, 0, null);
    }

    private static BackendStats backend(long nanos, DeviceStats... devices) {
        return new BackendStats(nanos, "ioband", 32, 0, 0, 0, 0, List.of(devices));
    }

    private static LoadResult run(List<DeviceResult> devices, BackendStats start, BackendStats end) {
        Map<String, Integer> processes = new LinkedHashMap<>();
        start.devices().forEach(d -> processes.put(d.name(), 16));
        return new LoadResult((end.nanos() - start.nanos()) / 1e9, devices, result("total", 0, 1, 0, 0, 0), start, end,
                io.vblk.result.WindowFigures.of(start, end, processes), -1, -1, VerifySummary.OFF, 0, List.of());
    }

    /** Run 1: 2 s; a 80% (in service 32, backlog 96); b 20% (in service 1, backlog 0.5). */
    private static LoadResult run1() {
        BackendStats start = backend(1 * S, stats("a", 40, 7 * S, 11 * S), stats("b", 1, 3 * S, 5 * S));
        BackendStats end = backend(3 * S, stats("a", 40, 7 * S + 64 * S, 11 * S + 192 * S),
                stats("b", 1, 3 * S + 2 * S, 5 * S + S));
        return run(List.of(result("a", 8000, 0.8, 4000, 1000, 0), result("b", 2000, 0.2, 1000, 3000, 0)), start, end);
    }

    /** Run 2: 4 s; a 70% (in service 30, backlog 100); b 30% (in service 1, backlog 0.25). */
    private static LoadResult run2() {
        BackendStats start = backend(10 * S, stats("a", 48, 100 * S, 300 * S), stats("b", 1, 9 * S, 6 * S));
        BackendStats end = backend(14 * S, stats("a", 48, 100 * S + 120 * S, 300 * S + 400 * S),
                stats("b", 1, 9 * S + 4 * S, 6 * S + S));
        return run(List.of(result("a", 7000, 0.7, 1750, 1200, 1), result("b", 3000, 0.3, 750, 5000, 2)), start, end);
    }

    @Test
    void twoRepeatsReduceToMeansSpreadAndErrorAgainstTheWeights() {
        VariantResult r = ExperimentRunner.reduce(eightyTwenty(), List.of(run1(), run2()), null);
        DeviceFigures a = r.devices().get(0);
        DeviceFigures b = r.devices().get(1);

        assertThat(r.devices()).extracting(DeviceFigures::name).containsExactly("a", "b");
        assertThat(a.weight()).isEqualTo(80);
        assertThat(b.weight()).isEqualTo(20);
        assertThat(a.weightShare()).isCloseTo(0.8, within(1e-12));
        assertThat(b.weightShare()).isCloseTo(0.2, within(1e-12));
        assertThat(a.share()).isCloseTo(0.75, within(1e-12));
        assertThat(b.share()).isCloseTo(0.25, within(1e-12));
        // sample standard deviation of (0.8, 0.7): sqrt(2 * 0.05^2 / 1) = 0.0707..., in percentage points
        assertThat(a.shareSpreadPp()).isCloseTo(100 * Math.sqrt(0.005), within(1e-9));
        assertThat(b.shareSpreadPp()).isCloseTo(7.0710678, within(1e-6));
        assertThat(a.shareErrorPp()).isCloseTo(-5.0, within(1e-9));
        assertThat(b.shareErrorPp()).isCloseTo(5.0, within(1e-9));
        assertThat(a.ios()).isEqualTo(7500);
        assertThat(b.ios()).isEqualTo(2500);
        assertThat(a.iops()).isEqualTo(2875);
        assertThat(b.iops()).isEqualTo(875);
        assertThat(a.p99Us()).isEqualTo(1100);
        assertThat(b.p99Us()).isEqualTo(4000);
        assertThat(a.errors()).isEqualTo(1);
        assertThat(b.errors()).isEqualTo(2);
    }

    @Test
    void inFlightAndBacklogAreTimeWeightedMeansOfTheIntegralsAveragedOverRepeats() {
        VariantResult r = ExperimentRunner.reduce(eightyTwenty(), List.of(run1(), run2()), null);
        DeviceFigures a = r.devices().get(0);
        DeviceFigures b = r.devices().get(1);

        assertThat(a.inServiceMean()).isCloseTo((32 + 30) / 2.0, within(1e-9));
        assertThat(a.backlogMean()).isCloseTo((96 + 100) / 2.0, within(1e-9));
        assertThat(b.inServiceMean()).isCloseTo(1.0, within(1e-9));
        assertThat(b.backlogMean()).isCloseTo((0.5 + 0.25) / 2, within(1e-9));
        assertThat(a.peakInService()).isEqualTo(48);
        assertThat(b.peakInService()).isEqualTo(1);
    }

    @Test
    void theVariantCarriesItsModesPolicyFairnessAndExplanation() {
        Scenario.Variant v = eightyTwenty();

        VariantResult r = ExperimentRunner.reduce(v, List.of(run1(), run2()), null);

        assertThat(r.label()).isEqualTo("two runs");
        assertThat(r.keys()).containsExactly(entry("backend.scheduler.policy", "ioband"));
        assertThat(r.mode()).isEqualTo("aio+sync");
        assertThat(r.policy()).isEqualTo("ioband");
        assertThat(r.repeats()).isEqualTo(2);
        // x = 0.75/0.8 and 0.25/0.2: 2.1875^2 / (2 * 2.44140625) = 0.98
        assertThat(r.jain()).isCloseTo(0.98, within(1e-12));
        assertThat(r.maxShareErrorPp()).isCloseTo(5.0, within(1e-9));
        assertThat(r.explanation()).isEqualTo("b never had more than one request in the backend (mean in service 1.00, "
                + "peak 1, backlogged 0 % of the time) while a kept 31.0: a weight can only reorder requests that wait, "
                + "and b's single request waits behind a's");
    }

    @Test
    void oneRunHasNoSpread() {
        VariantResult r = ExperimentRunner.reduce(eightyTwenty(), List.of(run2()), null);

        assertThat(r.repeats()).isEqualTo(1);
        assertThat(r.devices()).extracting(DeviceFigures::shareSpreadPp).containsOnly(0.0);
        assertThat(r.devices().get(0).share()).isCloseTo(0.7, within(1e-12));
        assertThat(r.devices().get(0).inServiceMean()).isCloseTo(30, within(1e-9));
        assertThat(r.devices().get(1).backlogMean()).isCloseTo(0.25, within(1e-9));
        assertThat(r.mode()).isEqualTo("aio+sync");
    }

    @Test
    void weightSharesCountOnlyTheDevicesTheLoadDrives() {
        Scenario.Variant v = variant(List.of(device("a", 80, null), device("idle", 300, null), device("b", 20, null)),
                List.of("a", "b"), SchedulerConfig.Policy.SFQ);

        VariantResult r = ExperimentRunner.reduce(v, List.of(run1(), run2()), null);

        assertThat(r.devices()).extracting(DeviceFigures::name).containsExactly("a", "b");
        assertThat(r.devices()).extracting(DeviceFigures::weightShare).containsExactly(0.8, 0.2);
        assertThat(r.mode()).isEqualTo("aio");
        assertThat(r.policy()).isEqualTo("sfq");
    }

    @Test
    void devicesFollowTheLoadOrderNotTheResultOrder() {
        Scenario.Variant v = variant(List.of(device("a", 80, null), device("b", 20, null)), List.of("b", "a"),
                SchedulerConfig.Policy.SFQ);
        LoadResult r1 = run1();
        List<DeviceResult> reversed = new ArrayList<>(r1.devices());
        java.util.Collections.reverse(reversed);

        VariantResult r = ExperimentRunner.reduce(v, List.of(run(reversed, r1.backendStart(), r1.backendEnd())), null);

        assertThat(r.devices()).extracting(DeviceFigures::name).containsExactly("b", "a");
        assertThat(r.devices()).extracting(DeviceFigures::share).containsExactly(0.2, 0.8);
    }

    @Test
    void aDeviceDrivenByTwoLoadEntriesCountsBoth() {
        Scenario.Variant v = variant(List.of(device("a", 80, null), device("b", 20, null)), List.of("a", "a", "b"),
                SchedulerConfig.Policy.SFQ);
        LoadResult r1 = run1();
        LoadResult split = run(List.of(result("a", 5000, 0.5, 2500, 900, 1), result("a", 3000, 0.3, 1500, 1000, 2),
                result("b", 2000, 0.2, 1000, 3000, 0)), r1.backendStart(), r1.backendEnd());

        VariantResult r = ExperimentRunner.reduce(v, List.of(split), null);

        assertThat(r.devices()).extracting(DeviceFigures::name).containsExactly("a", "b");
        DeviceFigures a = r.devices().get(0);
        assertThat(a.share()).isCloseTo(0.8, within(1e-12));
        assertThat(a.ios()).isEqualTo(8000);
        assertThat(a.iops()).isEqualTo(4000);
        assertThat(a.errors()).isEqualTo(3);
        assertThat(a.p99Us()).isEqualTo(1000);
        assertThat(a.shareErrorPp()).isCloseTo(0, within(1e-9));
    }

    @Test
    void slugsAreLowerCaseDashedFileNames() {
        assertThat(ExperimentRunner.slug("seed-sync io-throttle 1")).isEqualTo("seed-sync-io-throttle-1");
        assertThat(ExperimentRunner.slug("depth-sweep-policy=sfq max-in-service=32")).isEqualTo("depth-sweep-policy-sfq-max-in-service-32");
        assertThat(ExperimentRunner.slug("  /tmp/My Scenario.yaml  ")).isEqualTo("tmp-my-scenario-yaml");
    }

    @Test
    void theDiskModelGivesEachDeviceItsFeasibleShareAndTheGapsSplitTheError() throws Exception {
        // b serves one request at a time (sync): 2 000 of a 4 x 500 us disk's 8 000 IOPS, 25 %, whatever its 80
        BackendConfig backend = new BackendConfig(null, 0, Mode.AIO, null,
                new SchedulerConfig(SchedulerConfig.Policy.SFQ, 32, null, null, null),
                new io.vblk.config.DiskConfig(java.time.Duration.ofNanos(500_000), null, 4), null, null, null, null, null,
                null, List.of(device("a", 20, null), device("b", 80, Mode.SYNC)), null);
        List<LoadSpec> load = List.of(new LoadSpec("a", 16, null, null, null, null), new LoadSpec("b", 16, null, null, null, null));
        Scenario.Variant v = new Scenario.Variant("disk", Map.of(), backend, "",
                new LoadConfig(null, false, null, null, load, null, null, null, null), List.of(), List.of("a", "b"));

        io.vblk.report.FeasibleShare.Model model = Feasibility.ofDisk(v, ExperimentRunner.names(v));
        VariantResult r = ExperimentRunner.reduce(v, List.of(run1()), model);

        assertThat(Feasibility.concurrency(v, "a")).isEqualTo(16);
        assertThat(Feasibility.concurrency(v, "b")).isEqualTo(1);
        assertThat(model.method()).isEqualTo("disk model 4 x 500us = 8000 IOPS; in service at most a 16 (32000 IOPS) b 1 "
                + "(2000 IOPS)");
        DeviceFigures b = r.devices().get(1);
        assertThat(b.feasibleShare()).isCloseTo(0.25, within(1e-12));
        assertThat(b.concurrencyGapPp()).isCloseTo(55, within(1e-9));
        assertThat(b.schedulerGapPp()).isCloseTo(5, within(1e-9));
        assertThat(r.feasible()).isSameAs(model);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("variant", ".json");
        io.vblk.report.JsonReport.writeValue(r, file);
        com.fasterxml.jackson.databind.JsonNode json = io.vblk.config.ConfigLoader.json().readTree(file.toFile());
        java.nio.file.Files.delete(file);
        assertThat(json.path("devices").get(1).path("feasible_share").asDouble()).isCloseTo(0.25, within(1e-12));
        assertThat(json.path("devices").get(1).path("concurrency_gap_pp").asDouble()).isCloseTo(55, within(1e-9));
        assertThat(json.path("devices").get(1).path("scheduler_gap_pp").asDouble()).isCloseTo(5, within(1e-9));
        assertThat(json.path("feasible").path("method").asText()).startsWith("disk model 4 x 500us");
    }
}
