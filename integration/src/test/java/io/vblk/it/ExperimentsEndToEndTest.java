package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.cli.VblkMain;
import io.vblk.report.CuresTable;
import io.vblk.report.DeviceFigures;
import io.vblk.report.DiskTime;
import io.vblk.report.ExperimentResult;
import io.vblk.report.ExperimentTable;
import io.vblk.report.ThinkTime;
import io.vblk.report.VariantResult;
import io.vblk.scenario.ExperimentRunner;
import io.vblk.scenario.Scenario;
import io.vblk.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in experiments, each run against real backend processes on loopback, must show what the 2008
 * results and the issue ask for. Tolerances are the (6 pp around 50% for the collapse, 3 pp around a
 * weight share). Each run completes tens of thousands of I/Os, so the binomial standard error of a share is
 * about 0.3 pp: a miss means a real change in behaviour, not noise. Runs are short (1 s warm-up, 3 s
 * measured) to keep the suite fast; the shares settle within the first second. Where weights should decide,
 * what is asserted is what the scheduler controls, its split of the decisions taken while every device was
 * backlogged, for sfq, whose returning flows restart at the virtual time (ioband makes up within its epoch for
 * a device that ran dry, so its all-backlogged split leans toward that device); the share over the whole window is
 * asserted only for runs the host did not limit (a starved load leaves queues empty, and then no scheduler
 * can weigh them), and an invalid run must not blame the policy.
 */
class ExperimentsEndToEndTest {
    private static final Duration WARMUP = Duration.ofSeconds(1);
    private static final Duration DURATION = Duration.ofSeconds(3);
    /**
     * The whole-window share is the weights' only when the host kept up and every device was backlogged nearly
     * all the time: a valid run (load held at least 0.9 each) can still leave queues empty often enough to move
     * a share by 4 pp (23.8 % for a weight-20 device seen in CI at a load average of 9, its decisions while all
     * were backlogged right).
     */
    private static final double ALL_BACKLOGGED = 0.97;

    @TempDir
    Path out;

    private static ResourceLeakDetector.Level leakLevel;

    /**
     * Paranoid leak detection records a stack trace per buffer allocation; in this JVM (the frontend side of
     * every run) that takes the CPU a loaded 2-core machine needs to keep the devices backlogged, and shares
     * drift. These runs measure fairness; the same code paths are leak-checked at paranoid by the other tests.
     */
    @BeforeAll
    static void sampleLeaks() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void restoreLeakLevel() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    @Test
    void seedThroughTheCommandLine() throws Exception {
        Path json = out.resolve("seed.json");
        int rc = VblkMain.commandLine().execute("experiment", "seed", "--variants", "sync,aio", "--repeat", "1",
                "--duration", "3s", "--warmup", "1s", "--quiet", "--json", json.toString(), "--out", out.toString());
        assertThat(rc).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode sync = root.path("variants").get(0);
        JsonNode aio = root.path("variants").get(1);
        assertThat(sync.path("label").asText()).isEqualTo("sync");
        for (JsonNode d : sync.path("devices")) {
            assertThat(d.path("share").asDouble()).as("sync share of %s", d.path("name").asText()).isCloseTo(0.50, within(0.06));
            assertThat(d.path("in_service_mean").asDouble()).as("sync in service").isLessThanOrEqualTo(1.0);
            assertThat(d.has("share_error_pp")).isTrue();
            assertThat(d.has("backlog_mean")).isTrue();
            assertThat(d.path("weight").asInt()).isIn(80, 20);
            assertThat(d.path("ios").asDouble()).isPositive();
        }
        JsonNode sda11 = aio.path("devices").get(0);
        assertThat(sda11.path("name").asText()).isEqualTo("sda11");
        // ioband makes up within its epoch for a device that ran dry, so its split while both were backlogged
        // leans toward that device: its whole-window share is its measure, on a run the host did not limit;
        // on one it did, the run must say that the host, not the policy, erred
        if (aio.path("host_limit").isNull() && aio.path("all_backlogged_fraction").asDouble() >= ALL_BACKLOGGED) {
            assertThat(sda11.path("share").asDouble()).isCloseTo(0.80, within(0.03));
        } else {
            assertThat(aio.path("explanation").asText()).doesNotContain("the policy's own error");
            System.out.println("seed aio: shares not checked: " + aio.path("host_limit").asText());
        }
        assertThat(sda11.path("backlog_mean").asDouble()).as("aio keeps requests waiting at the scheduler").isGreaterThan(1.0);
        assertThat(root.path("charts").size()).isEqualTo(1);
        assertThat(Files.size(Path.of(root.path("charts").get(0).asText()))).isPositive();
    }

    @Test
    void liveWeightsAppliesItsChangesAndTheSharesFollowThem() throws Exception {
        Path json = out.resolve("live-weights.json");
        Path requestLog = out.resolve("live.jsonl");
        int rc = VblkMain.commandLine().execute("experiment", "live-weights", "--variants", "sfq", "--quiet",
                "--json", json.toString(), "--out", out.toString(), "--request-log", requestLog.toString());
        assertThat(rc).isZero();
        List<io.vblk.requestlog.ControlRecord> changes = io.vblk.logs.LogReader.controls(
                List.of(out.resolve("live.sfq.jsonl")), null, w -> {});
        assertThat(changes).extracting(c -> c.target() + " " + c.key() + " " + c.from() + "->" + c.to()).containsExactly(
                "sda11 weight 80->50", "sda12 weight 20->50", "sda11 weight 50->20", "sda12 weight 50->80");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode sfq = root.path("variants").get(0);
        String explanation = sfq.path("explanation").asText();
        assertThat(explanation).startsWith("the weights changed during the run");
        // each phase's split of the decisions taken while both devices waited: what the weights control
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(\\d+\\.\\d)/(\\d+\\.\\d) % of the decisions while all were backlogged").matcher(explanation);
        List<Double> sda11 = new java.util.ArrayList<>();
        while (m.find()) {
            sda11.add(Double.parseDouble(m.group(1)));
        }
        assertThat(sda11).as(explanation).hasSize(3);
        // on a host that starved the load, a queue that empties now and then tilts that split a few points
        // toward the heavier device (docs/fairness.md): the bound widens, the weights must still show
        double bound = sfq.path("host_limit").isNull() ? 3.0 : 8.0;
        assertThat(sda11.get(0)).as(explanation).isCloseTo(80, within(bound));
        assertThat(sda11.get(1)).as(explanation).isCloseTo(50, within(bound));
        assertThat(sda11.get(2)).as(explanation).isCloseTo(20, within(bound));
        Path timeline = Path.of(root.path("charts").get(0).asText());
        assertThat(timeline.getFileName().toString()).isEqualTo("live-weights-sfq-timeline.png");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(timeline.toFile());
        assertThat(png.getWidth()).isEqualTo(900);
    }

    @Test
    void requestLogNamesAFileAndEachVariantsAndRunsLogIsBesideIt() throws Exception {
        Path requestLog = out.resolve("seed.jsonl");
        int rc = VblkMain.commandLine().execute("experiment", "seed", "--variants", "sync,aio", "--repeat", "2",
                "--duration", "1s", "--warmup", "0s", "--quiet", "--request-log", requestLog.toString());
        assertThat(rc).isZero();
        // as in load and backend, --request-log is a file: each variant's and run's log is beside it, tagged with both
        assertThat(requestLog).doesNotExist();
        for (String run : List.of("sync-run1", "sync-run2", "aio-run1", "aio-run2")) {
            Path log = out.resolve("seed." + run + ".jsonl");
            assertThat(Files.readAllLines(log)).as(log.toString()).hasSizeGreaterThan(10);
        }
    }

    @Test
    void serializedVmLosesToFreeHostWhateverItsWeight() throws Exception {
        VariantResult ioband = only(run("vm-vs-host", List.of("ioband")));
        if (ioband.valid()) {
            assertThat(device(ioband, "vm").share()).isLessThan(0.10);
        }
        assertThat(device(ioband, "vm").peakInService()).isEqualTo(1);
        assertThat(ioband.explanation()).contains("vm never had more than one request in the backend");
        // the split: one request of 500 us allows 2 000 of the disk's 8 000 IOPS, 25 %; depth 32 then leaves
        // the vm about 1/33 of the dispatches, so 55 pp are the backend's and about 22 pp the scheduler's
        DeviceFigures vm = device(ioband, "vm");
        assertThat(vm.feasibleShare()).isCloseTo(0.25, within(1e-9));
        assertThat(vm.concurrencyGapPp()).isCloseTo(55, within(1e-9));
        assertThat(ioband.explanation()).contains("vm: weight 80 %, its 1 request in service allows at most 25 %")
                .contains("55 pp from the backend's concurrency").contains("(depth 32 puts 31 requests ahead of it at the disk)");
        if (ioband.valid()) {
            assertThat(vm.schedulerGapPp()).isCloseTo(25 - 100.0 / 33, within(2.0));
        }
    }

    @Test
    void theVmsShareFallsAsOneOverDepthPlusOne() throws Exception {
        ExperimentResult r = run("depth-vs-vm", List.of("depth=1", "depth=8", "depth=32"));
        for (VariantResult v : r.variants()) {
            int depth = Integer.parseInt(v.keys().get("backend.scheduler.depth"));
            DeviceFigures vm = device(v, "vm");
            double total = v.devices().stream().mapToDouble(DeviceFigures::iops).sum();
            assertThat(vm.feasibleShare()).isCloseTo(0.25, within(1e-9));
            // what the scheduler controls: sfq gives the vm's waiting request the next decision (weight 80)
            if (vm.shareBacklogged() != null) {
                assertThat(vm.shareBacklogged()).as("depth %d, while both were backlogged", depth).isGreaterThan(0.9);
            }
            if (depth == 1) {
                // one request at the disk at a time: 1 / 500 us, however the host's CPU is doing
                assertThat(total).as("total IOPS at depth 1").isLessThanOrEqualTo(2000 * 1.02);
            }
            // the vm's own round trip (its completion to its next request at the scheduler) lets the host complete
            // a few more per vm request: about 1/(D + 1 + r x IOPS), 1-3 pp below 1/(D+1) at D = 8 on these hosts
            // (docs/feasible-share.md), under 0.6 pp from D = 16 on
            if (v.valid() && depth >= 16) {
                assertThat(vm.share()).as("vm share at depth %d", depth).isCloseTo(1.0 / (depth + 1), within(0.02));
            } else if (v.valid() && depth == 8) {
                // the round trip's part grows with the host's load (6.3 % seen with a busy loop on one core, the
                // run valid): only the ceiling 1/(D+1) is the scheduler's, and the share must still fall with depth
                assertThat(vm.share()).as("vm share at depth 8").isLessThanOrEqualTo(1.0 / 9 + 0.01)
                        .isGreaterThan(device(variant(r, "depth=32"), "vm").share());
            }
        }
        Path chart = io.vblk.report.Charts.sweep(r, out);
        assertThat(chart.getFileName().toString()).isEqualTo("depth-vs-vm-depth.png");
        assertThat(Files.size(chart)).isPositive();
    }

    @Test
    void theIoThrottleTablePrintsBesideThe2008Figures() throws Exception {
        ExperimentResult r = run("io-throttle-2008", List.of("80:20 max-in-service=1", "80:20 max-in-service=3"));
        VariantResult one = variant(r, "80:20 max-in-service=1");
        // one request each of a 4-slot disk: both capped at 2 000 IOPS, so 50/50 is all the backend allows
        assertThat(device(one, "sda11").feasibleShare()).isCloseTo(0.5, within(1e-9));
        assertThat(device(variant(r, "80:20 max-in-service=3"), "sda11").feasibleShare()).isCloseTo(0.75, within(1e-9));
        if (one.valid()) {
            assertThat(device(one, "sda11").share()).isCloseTo(0.5, within(0.06));
        }
        assertThat(io.vblk.report.CrossTable.format(r)).contains("2008 run 1 |  2008 run 2 |")
                .contains("80:20   | 75.8 / 24.2 | 71.1 / 28.9 |");
    }

    @Test
    void threeDevicesGetTheirWeightShares() throws Exception {
        VariantResult sfq = only(run("three-way", List.of("sfq")));
        for (DeviceFigures d : sfq.devices()) {
            assertThat(d.shareBacklogged()).as("share of %s while all were backlogged", d.name())
                    .isCloseTo(d.weightShare(), within(0.03));
            if (weightsDecided(sfq)) {
                assertThat(d.share()).as("share of %s", d.name()).isCloseTo(d.weightShare(), within(0.03));
            }
        }
    }

    @Test
    void weightsActOnlyOnceTheBackendKeepsRequestsInFlight() throws Exception {
        ExperimentResult r = run("depth-sweep", List.of("policy=sfq max-in-service=1", "policy=sfq max-in-service=32",
                "policy=ioband max-in-service=32", "policy=fifo max-in-service=32"));
        assertThat(share(r, "policy=sfq max-in-service=1")).as("sfq, one in flight").isCloseTo(0.50, within(0.06));
        VariantResult sfq = variant(r, "policy=sfq max-in-service=32");
        assertThat(device(sfq, "sda11").shareBacklogged()).as("sfq, while both were backlogged").isCloseTo(0.80, within(0.03));
        for (VariantResult v : List.of(sfq, variant(r, "policy=ioband max-in-service=32"))) {
            if (weightsDecided(v)) {
                assertThat(device(v, "sda11").share()).as(v.label()).isCloseTo(0.80, within(0.03));
            } else {
                assertThat(v.explanation()).as(v.label()).doesNotContain("the policy's own error");
            }
        }
        assertThat(share(r, "policy=fifo max-in-service=32")).as("fifo, 32 in flight").isCloseTo(0.50, within(0.06));
    }

    // issue 19's latency-target, cures and reservation: what the configuration alone decides (a reservation's
    // verdict from the disk model, a depth within 1 and 64, the device that misses keeping its own) always; what
    // the host's speed moves (shares, the depth's level) only for runs the host did not limit
    @Test
    void aLatencyTargetCutsTheHostsDepthAndTheVmGetsMore() throws Exception {
        ExperimentResult r = run("latency-target", List.of("depth 32", "depth auto"));
        VariantResult fixed = variant(r, "depth 32");
        VariantResult auto = variant(r, "depth auto");

        assertThat(device(fixed, "host").depth()).isNull();
        DeviceFigures vm = device(auto, "vm");
        DeviceFigures host = device(auto, "host");
        // the device that misses keeps its own depth; the other's stays within 1 and 64
        assertThat(vm.depth().min()).isEqualTo(64);
        assertThat(host.depth().min()).isBetween(1, 64);
        assertThat(host.depth().max()).isBetween(host.depth().min(), 64);
        assertThat(host.depth().series()).isNotEmpty();
        assertThat(ExperimentTable.format(auto)).contains("depth (auto): vm mean 64.0").contains("; host mean ");
        if (vm.depth().latencyMisses() > 0) {
            assertThat(host.depth().min()).as("a miss halves the host's depth").isLessThanOrEqualTo(32);
        }
        if (fixed.valid() && auto.valid()) {
            // behind about 4-8 of the host's requests rather than 31, the vm's one request comes round more often
            assertThat(host.depth().mean()).isLessThan(32);
            assertThat(vm.share()).isGreaterThan(device(fixed, "vm").share());
        }
    }

    @Test
    void theCuresTableHasARowPerCureAndTheInfeasibleReservationSaysSo() throws Exception {
        ExperimentResult r = run("cures", List.of("seed sync: none", "seed sync: idle", "vm-vs-host: mclock",
                "vm-vs-host: depth auto"));

        String table = CuresTable.format(r);
        assertThat(table).contains("== cures: each cure's share and its price");
        assertThat(table.lines().filter(l -> l.startsWith("seed sync ") || l.startsWith("vm-vs-host ")).count()).isEqualTo(4);
        // the model decides this one: 1 request behind up to 31 at 8000 IOPS gets at most 242 of 1000
        VariantResult mclock = variant(r, "vm-vs-host: mclock");
        assertThat(mclock.explanation()).contains("vm's reservation of 1000 IOPS is infeasible at depth 32")
                .contains("a depth of at most 1 x C / r - 1 = 7 would meet it");
        assertThat(CuresTable.summary(r)).startsWith("cures (heaviest device's share, IOPS of capacity): seed sync (sda11): none ")
                .contains(" | vm-vs-host (vm): mclock ").contains("(infeasible)").doesNotContain("\n");
        // idling waits for sda11's next request: its idle periods end in arrivals
        VariantResult idle = variant(r, "seed sync: idle");
        assertThat(device(idle, "sda11").idleArrivals()).isPositive();
        VariantResult none = variant(r, "seed sync: none");
        if (none.valid()) {
            assertThat(device(none, "sda11").share()).as("the collapse").isBetween(0.44, 0.56);
        }
        if (idle.valid()) {
            assertThat(device(idle, "sda11").share()).as("idling restores the weights").isGreaterThan(0.7);
        }
    }

    @Test
    void aReservationBehindDepth32IsInfeasibleAndAtDepth4Feasible() throws Exception {
        ExperimentResult r = run("reservation", List.of("sync vm reserved 1000 depth 32", "sync vm reserved 1000 depth 4"));

        assertThat(variant(r, "sync vm reserved 1000 depth 32").explanation())
                .contains("vm's reservation of 1000 IOPS is infeasible at depth 32")
                .contains("its feasible share, 25 % or 2000 IOPS, counts the disk's slots, not its queue");
        assertThat(variant(r, "sync vm reserved 1000 depth 4").explanation())
                .contains("vm's reservation of 1000 IOPS is feasible at depth 4 (at most 1600 IOPS)");
    }

    // idle-sweep and cost-model read their request logs: the think time and disk time are always there and
    // consistent; the shares they explain only for runs the host did not limit
    @Test
    void idleSweepReportsTheThinkTimeFirstAndIdlingPastItsP99ReachesTheWeights() throws Exception {
        ExperimentResult r = run("idle-sweep", List.of("idle 0", "idle 1ms", "idle 1ms inject"));

        for (VariantResult v : r.variants()) {
            assertThat(v.thinkTimes()).as(v.label()).extracting(ThinkTime::device).containsExactly("sda11", "sda12");
            for (ThinkTime t : v.thinkTimes()) {
                assertThat(t.samples()).as(v.label() + " " + t.device()).isPositive();
                assertThat(t.overlapped()).isBetween(0L, t.samples());
                assertThat(t.p99Us()).isGreaterThanOrEqualTo(t.medianUs());
                assertThat(t.admitP99Us()).isGreaterThanOrEqualTo(t.admitMedianUs());
            }
            String table = ExperimentTable.format(v);
            assertThat(table.indexOf("think time (next Q less previous R, per queue): sda11 median "))
                    .as("above the table").isPositive().isLessThan(table.indexOf("device "));
        }
        VariantResult none = variant(r, "idle 0");
        VariantResult idle = variant(r, "idle 1ms");
        assertThat(device(idle, "sda11").idleArrivals()).isPositive();
        assertThat(device(none, "sda11").idleArrivals() + device(none, "sda11").idleTimeouts()).isZero();
        if (none.valid() && idle.valid()) {
            assertThat(device(none, "sda11").share()).as("the collapse").isBetween(0.44, 0.56);
            // 1 ms is past the p99 of sda11's gap to its next admission (a few hundred µs at most on this host)
            assertThat(device(idle, "sda11").share()).as("idling restores the weights").isGreaterThan(0.7);
            assertThat(diskTime(idle, "sda11").d2cShare()).isGreaterThan(0.7);
        }
    }

    @Test
    void costModelSplitsDiskTimeFromD2cAndLinearCostGivesTheSmallRequestsMore() throws Exception {
        ExperimentResult r = run("cost-model", List.of("cost requests", "cost linear"));

        for (VariantResult v : r.variants()) {
            assertThat(v.diskTimes()).as(v.label()).extracting(DiskTime::device).containsExactly("small", "large");
            assertThat(v.diskTimes().stream().mapToDouble(DiskTime::d2cShare).sum()).isCloseTo(1, within(1e-9));
            assertThat(v.diskTimes().stream().mapToDouble(DiskTime::bytesShare).sum()).isCloseTo(1, within(1e-9));
            for (DiskTime t : v.diskTimes()) {
                assertThat(t.d2cS()).as(v.label() + " " + t.device()).isPositive();
                // each OK request is 4 KiB (small) or 64 KiB (large); the log holds the warm-up's too
                int size = t.device().equals("small") ? 4096 : 65_536;
                assertThat(t.bytes()).isPositive().isGreaterThanOrEqualTo(Math.round(device(v, t.device()).ios()) * size);
                assertThat(t.bytes() % size).isZero();
            }
            assertThat(ExperimentTable.format(v)).contains("disk time (sum of D2C) / bytes: small ");
            // a 64 KiB request holds the disk longer than a 4 KiB one (512 against 220 us)
            assertThat(diskTime(v, "large").d2cS() / device(v, "large").ios())
                    .isGreaterThan(diskTime(v, "small").d2cS() / device(v, "small").ios());
        }
        VariantResult requests = variant(r, "cost requests");
        VariantResult linear = variant(r, "cost linear");
        if (requests.valid() && linear.valid()) {
            // linear cost charges large's requests more than small's, so small gets more of the disk's time (D2C
            // also holds the wait in the disk's own queue, the same for both sizes, so the split is not 30/70)
            assertThat(diskTime(linear, "small").d2cShare()).isGreaterThan(diskTime(requests, "small").d2cShare());
        }
    }

    private static DiskTime diskTime(VariantResult v, String name) {
        return v.diskTimes().stream().filter(d -> d.device().equals(name)).findFirst().orElseThrow();
    }

    private static boolean weightsDecided(VariantResult v) {
        return v.valid() && v.allBackloggedFraction() >= ALL_BACKLOGGED;
    }

    @Test
    void withoutAnEmulatedDiskTheFeasibleShareComesFromACalibrationThatSaysSo() throws Exception {
        Scenario s = ScenarioLoader.parse("""
                name: no-disk
                description: two RAM devices, no emulated disk
                duration: 1s
                warmup: 500ms
                backend:
                  mode: aio
                  scheduler: {policy: sfq, depth: 8}
                  devices:
                    - {name: a, size: 64MiB, store: ram, weight: 80, mode: sync}
                    - {name: b, size: 64MiB, store: ram, weight: 20}
                load:
                  - {device: a, processes: 8, pattern: randread, block-size: 4KiB}
                  - {device: b, processes: 8, pattern: randread, block-size: 4KiB}
                """, "no-disk.yaml");

        VariantResult v = only(new ExperimentRunner(out, null, x -> {}).run(s));

        assertThat(v.feasible().method()).startsWith("calibrated (no emulated disk; aio fifo backend, all together 1s");
        assertThat(v.feasible().capacityIops()).isPositive();
        assertThat(v.feasible().device("a").concurrency()).isEqualTo(1);
        assertThat(v.feasible().device("b").concurrency()).isEqualTo(8);
        assertThat(v.feasible().device("a").cap()).isPositive();
        assertThat(device(v, "a").feasibleShare() + device(v, "b").feasibleShare()).isCloseTo(1.0, within(1e-9));
        assertThat(Files.exists(out.resolve("no-disk-no-disk-calibration.backend.yaml"))).isTrue();
    }

    private ExperimentResult run(String name, List<String> variants) throws Exception {
        Scenario s = ScenarioLoader.load(name).with(DURATION, WARMUP, 1, variants);
        assertThat(s.variants()).hasSize(variants.size());
        return new ExperimentRunner(out, null, v -> {}).run(s);
    }

    /** The 80-weight device's share in the variant with this label. */
    private static double share(ExperimentResult r, String label) {
        return device(variant(r, label), "sda11").share();
    }

    private static VariantResult variant(ExperimentResult r, String label) {
        return r.variants().stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow();
    }

    private static VariantResult only(ExperimentResult r) {
        assertThat(r.variants()).hasSize(1);
        return r.variants().get(0);
    }

    private static DeviceFigures device(VariantResult v, String name) {
        return v.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}
