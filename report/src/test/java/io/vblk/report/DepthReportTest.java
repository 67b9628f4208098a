package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.result.WindowFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latency-driven depth in the table, its explanation and its chart, from hand-made results. */
class DepthReportTest {
    @TempDir
    Path dir;

    private static DeviceFigures device(String name, int weight, double share, int concurrency, double feasible,
                                        WindowFigures.DepthWindow depth) {
        return new DeviceFigures(name, weight, weight / 100.0, 10_000 * share, share, 0, 100 * (share - weight / 100.0),
                8000 * share, null, null, 800, null, 1, 0, concurrency, 0, 0.5, null, 1.0, concurrency, feasible, 0, 0, 0, depth);
    }

    private static VariantResult auto() {
        WindowFigures.DepthWindow vm = new WindowFigures.DepthWindow(64, 64, 64, 12, List.of(new double[] {0, 64}));
        WindowFigures.DepthWindow host = new WindowFigures.DepthWindow(6.3, 4, 12, 0,
                List.of(new double[] {0, 64}, new double[] {100, 32}, new double[] {200, 16}, new double[] {300, 8}));
        List<DeviceFigures> d = List.of(device("vm", 80, 0.157, 1, 0.25, vm), device("host", 20, 0.843, 128, 0.75, host));
        return new VariantResult("depth auto", Map.of("backend.scheduler.depth", "auto"), "sync+aio", "ioband", 1, d,
                Fairness.jain(d), Fairness.maxErrorPp(d), 0, 0, 0.86, 0.5, 0.6, null, null,
                Fairness.explain("sync+aio", "ioband", d, 0, 0.86, 64));
    }

    @Test
    void theTableGivesEachDevicesDepthAndTheExplanationCountsTheOthersDepthNotTheScheduler() {
        String table = ExperimentTable.format(auto());

        assertThat(table).contains("depth (auto): vm mean 64.0, 64 to 64, missed its latency target in 12 windows; "
                + "host mean 6.3, 4 to 12");
        // 6 of the host's (its mean depth), not the 63 that depth 64 would allow
        assertThat(table).contains("(the others' latency-driven depth puts about 6 requests ahead of it at the disk)");
    }

    @Test
    void theDepthChartDrawsTheDevicesWhoseDepthMoved() throws Exception {
        ExperimentResult r = new ExperimentResult("latency-target", "", 4, 1, 1, List.of(auto()), List.of(), null);

        Path png = Charts.depthOverTime(r, dir);

        assertThat(png.getFileName().toString()).isEqualTo("latency-target-depth-over-time.png");
        assertThat(ImageIO.read(Files.newInputStream(png)).getWidth()).isEqualTo(900);
    }
}
