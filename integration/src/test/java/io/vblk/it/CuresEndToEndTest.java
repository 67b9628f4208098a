package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.vblk.report.CuresTable;
import io.vblk.report.DeviceFigures;
import io.vblk.report.ExperimentResult;
import io.vblk.report.ExperimentTable;
import io.vblk.report.VariantResult;
import io.vblk.scenario.ExperimentRunner;
import io.vblk.scenario.Scenario;
import io.vblk.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency-target, cures and reservation experiments against real backend processes, short (1 s warm-up,
 * 2 s measured) and tolerant: what the configuration alone decides (a reservation's verdict from the disk
 * model, a depth that stays within 1 and 64, the device that misses keeping its own) is asserted always; what
 * the host's speed moves (shares, the depth's level) only for runs the host did not limit.
 */
class CuresEndToEndTest {
    private static final Duration WARMUP = Duration.ofSeconds(1);
    private static final Duration DURATION = Duration.ofSeconds(2);

    @TempDir
    Path out;

    private static ResourceLeakDetector.Level leakLevel;

    /** As in ExperimentsEndToEndTest: paranoid leak records take the CPU these runs measure with. */
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

    private ExperimentResult run(String name, List<String> variants) throws Exception {
        Scenario s = ScenarioLoader.load(name).with(DURATION, WARMUP, 1, variants);
        assertThat(s.variants()).hasSize(variants.size());
        return new ExperimentRunner(out, null, v -> {}).run(s);
    }

    private static VariantResult variant(ExperimentResult r, String label) {
        return r.variants().stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow();
    }

    private static DeviceFigures device(VariantResult v, String name) {
        return v.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}
