package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cures table and its summary line, from hand-made results on a disk of 8000 IOPS. */
class CuresTableTest {
    private static final FeasibleShare.Model MODEL = FeasibleShare.model("disk model 4 x 500us",
            List.of(new FeasibleShare.Demand("a", 80, 1, 500e-6), new FeasibleShare.Demand("b", 20, 1, 500e-6)), 4);

    private static DeviceFigures device(String name, int weight, double share, double iops, double p99Us) {
        return new DeviceFigures(name, weight, weight / 100.0, iops, share, 0, 0, iops, p99Us / 4, p99Us / 2, p99Us, 2 * p99Us, 1, 0, 1, 0, 0.5, null,
                1.0, 1, 0.5, 0, 0, 0, null);
    }

    private static VariantResult variant(String label, String explanation, DeviceFigures... d) {
        return new VariantResult(label, Map.of(), "sync", "ioband", 1, List.of(d), 1, 0, 0, 0, 0.5, 0.5, 0.5, MODEL,
                null, explanation);
    }

    private static ExperimentResult cures() {
        return new ExperimentResult("cures", "", 1, 1, 1, List.of(
                variant("seed sync: none", "", device("a", 80, 0.5, 1000, 1500), device("b", 20, 0.5, 1000, 1400)),
                variant("seed sync: idle", "", device("a", 80, 0.8, 800, 1200), device("b", 20, 0.2, 200, 5000)),
                variant("vm-vs-host: mclock", "; a's reservation of 1000 IOPS is infeasible at depth 32",
                        device("a", 80, 0.03, 240, 9000), device("b", 20, 0.97, 7760, 800))), List.of(), null);
    }

    @Test
    void aRowPerCureWithTheHeaviestDevicesShareTheThroughputAgainstCapacityAndEachP99() {
        String t = CuresTable.format(cures());

        assertThat(t).contains("== cures: each cure's share and its price");
        // 2000 of 8000 IOPS is 25 %; 1000 is 13 %; 8000 is 100 %
        assertThat(t).containsPattern("\\| p90 per device \\(ms\\) +\\| p99 per device \\(ms\\) +\\|");
        assertThat(t).containsPattern("seed sync +\\| none +\\| a \\(80\\) 50\\.0 % +\\| 2000 +\\| 25 % +\\| a 0\\.75 / b 0\\.70 +\\| "
                + "a 1\\.50 / b 1\\.40 ");
        assertThat(t).containsPattern("seed sync +\\| idle +\\| a \\(80\\) 80\\.0 % +\\| 1000 +\\| 13 %");
        assertThat(t).containsPattern("vm-vs-host +\\| mclock +\\| a \\(80\\) 3\\.0 % +\\| 8000 +\\| 100 % .*\\| reservation infeasible");
    }

    @Test
    void theSummaryIsOneLinePerSetupInOrder() {
        assertThat(CuresTable.summary(cures())).isEqualTo("cures (heaviest device's share, IOPS of capacity): seed sync "
                + "(a): none 50.0 % at 25 %, idle 80.0 % at 13 % | vm-vs-host (a): mclock 3.0 % at 100 % (infeasible)");
    }

    @Test
    void otherExperimentsHaveNoCuresTable() {
        ExperimentResult seed = new ExperimentResult("seed", "", 1, 1, 1, List.of(variant("sync", "",
                device("a", 80, 0.5, 1000, 1500))), List.of(), null);
        assertThat(CuresTable.format(seed)).isEmpty();
        assertThat(CuresTable.summary(seed)).isEmpty();
    }
}
