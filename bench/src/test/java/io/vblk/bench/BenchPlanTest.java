package io.vblk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.config.Mode;
import io.vblk.config.SchedulerConfig.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {
    private static final List<Cell.Rw> RW = List.of(Cell.Rw.RANDREAD, Cell.Rw.RANDWRITE);

    @Test
    void theDefaultMatrixIs32CellsOnFourBackendsWithPoliciesAdjacentPerMode() {
        List<BenchPlan.Group> groups = BenchPlan.expand(RW, List.of(1, 32), List.of(1, 8), List.of(Policy.FIFO, Policy.SFQ),
                List.of(Mode.SYNC, Mode.AIO));

        assertThat(groups).extracting(g -> g.mode() + "/" + g.policy())
                .containsExactly("SYNC/FIFO", "SYNC/SFQ", "AIO/FIFO", "AIO/SFQ");
        assertThat(groups).allSatisfy(g -> {
            assertThat(g.cells()).hasSize(8).allMatch(c -> c.policy() == g.policy() && c.mode() == g.mode());
            assertThat(g.devices()).isEqualTo(8);
        });
        assertThat(groups.stream().flatMap(g -> g.cells().stream()).distinct()).hasSize(32);
        assertThat(groups.get(0).cells().get(0)).isEqualTo(new Cell(Cell.Rw.RANDREAD, 1, 1, Policy.FIFO, Mode.SYNC));
    }

    @Test
    void repeatedValuesCountOnceAndTheBackendServesTheMostDevicesAsked() {
        List<BenchPlan.Group> groups = BenchPlan.expand(List.of(Cell.Rw.RANDWRITE, Cell.Rw.RANDWRITE), List.of(4, 4),
                List.of(3, 1, 3), List.of(Policy.SFQ), List.of(Mode.AIO));

        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.devices()).isEqualTo(3);
            assertThat(g.cells()).extracting(Cell::devices).containsExactly(3, 1);
        });
    }

    @Test
    void outOfRangeCountsNameTheOptionAndTheRange() {
        assertThatThrownBy(() -> BenchPlan.expand(RW, List.of(0), List.of(1), List.of(Policy.FIFO), List.of(Mode.AIO)))
                .hasMessage("--outstanding: 0 is out of range; allowed: 1 to 256 (requests outstanding per device)");
        assertThatThrownBy(() -> BenchPlan.expand(RW, List.of(1), List.of(2000), List.of(Policy.FIFO), List.of(Mode.AIO)))
                .hasMessage("--devices: 2000 is out of range; allowed: 1 to 1024");
    }

    @Test
    void ratiosPairFifoAndSfqAtTheSamePointOnly() {
        CellResult fifo = cell("fifo", "aio", 32, 100_000);
        CellResult sfq = cell("sfq", "aio", 32, 96_000);
        CellResult sfqOtherDepth = cell("sfq", "aio", 1, 10_000);
        CellResult fifoSync = cell("fifo", "sync", 32, 50_000);

        List<BenchTable.Ratio> ratios = BenchTable.Ratio.of(List.of(fifo, sfqOtherDepth, fifoSync, sfq));

        assertThat(ratios).singleElement().satisfies(r -> {
            assertThat(r.fifo()).isSameAs(fifo);
            assertThat(r.sfq()).isSameAs(sfq);
            assertThat(r.ratio()).isEqualTo(0.96);
        });
        assertThat(BenchTable.ratios(List.of(fifo, sfq))).contains("0.960");
        assertThat(BenchTable.ratios(List.of(fifo))).isEmpty();
    }

    @Test
    void cpuPerMillionIsSecondsOverIosTimesAMillion() {
        assertThat(CellResult.perMillion(2.0, 500_000)).isEqualTo(4.0);
        assertThat(CellResult.perMillion(2.0, 0)).isZero();
    }

    @Test
    void theBackendConfigHasOneRamDevicePerDeviceAndTheCellsPolicyAndMode() {
        String yaml = BenchRunner.backendYaml(Policy.SFQ, Mode.SYNC, 3, java.time.Duration.ofNanos(20_000));

        assertThat(yaml).contains("mode: sync", "policy: sfq", "event-loops: {spin: 20us}", "{name: d2, size: 16MiB, store: ram, queue-size: 256}")
                .doesNotContain("d3", "disk");
    }

    @Test
    void theLatencyColumnsAreInMicrosecondsTheUnitInTheHeader() {
        CellResult slow = new CellResult("randread", 32, 8, "fifo", "sync", 1, 1000, 1000, 723, 3_670, 6_520, 1, 1, 1, 1, 0);
        List<String> lines = BenchTable.cells(List.of(cell("fifo", "aio", 1, 40_000), slow)).lines().toList();

        assertThat(lines.get(0)).contains("| p50 (µs) | p99 (µs) | p99.9 (µs) |");
        // 3.67 ms beside 20 us: both in µs, never "ms" beside "µs" in one column
        assertThat(lines.get(3).split(" \\| ")).extracting(String::strip).contains("723", "3670", "6520");
        assertThat(String.join("\n", lines)).doesNotContain(" ms").doesNotContain(" µs |");
    }

    private static CellResult cell(String policy, String mode, int qd, double iops) {
        return new CellResult("randread", qd, 1, policy, mode, 1, (long) iops, iops, 10, 20, 30, 1, 1, 1, 1, 0);
    }
}
