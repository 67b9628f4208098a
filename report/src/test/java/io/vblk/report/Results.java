package io.vblk.report;

import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import io.vblk.result.QueueStats;
import java.util.List;
import io.vblk.result.DeviceResult;
import io.vblk.result.Latency;
import io.vblk.result.LoadResult;
import io.vblk.result.VerifySummary;
import io.vblk.result.WindowFigures;

/** A fixed two-device result for the format tests. */
final class Results {
    private Results() {}

    static LoadResult twoDevices() {
        DeviceResult vm1 = new DeviceResult("vm1", 100, 120_000, 0.6, 12_000, 49.152, 0,
                new Latency(245, 800, 1_200, 3_400, 260.5, 9_800));
        DeviceResult vm2 = new DeviceResult("vm2", 200, 80_000, 0.4, 8_000, 32.768, 2,
                new Latency(312, 4_100, 15_500, 1_250_000, 400.25, 2_000_000));
        DeviceResult total = new DeviceResult("total", 300, 200_000, 1.0, 20_000, 81.92, 2,
                new Latency(270, 2_500, 9_000, 40_000, 316.4, 2_000_000));
        BackendStats start = new BackendStats(1_000, "fifo", 64, 200, 10, 4, 3_000, List.of(
                new DeviceStats("vm1", 100, "aio", 10, 9, 0, 36864, 4, 500, 100, 300, 9, 3, 800, List.of(new QueueStats(0, 10, 9, 4)), 0, 0, 0, 0, null),
                new DeviceStats("vm2", 200, "aio", 10, 9, 0, 36864, 4, 500, 100, 300, 9, 3, 800, List.of(new QueueStats(0, 10, 9, 4)), 0, 0, 0, 0, null)));
        BackendStats end = new BackendStats(2_000, "fifo", 64, 700, 30, 4, 6_000, List.of(
                new DeviceStats("vm1", 100, "aio", 20, 20, 0, 81920, 4, 900, 300, 1_000, 20, 8, 1_800, List.of(new QueueStats(0, 20, 20, 4)), 0, 0, 0, 0, null),
                new DeviceStats("vm2", 200, "aio", 20, 20, 0, 81920, 4, 900, 300, 900, 20, 13, 1_400, List.of(new QueueStats(0, 20, 20, 4)), 0, 0, 0, 0, null)));
        return new LoadResult(10.0, List.of(vm1, vm2), total, start, end,
                WindowFigures.of(start, end, new java.util.LinkedHashMap<>(java.util.Map.of("vm1", 2))), 0.5, 0.75,
                new VerifySummary(true, 50, 50 * 4096, 10, 0, List.of()), 0, List.of());
    }
}
