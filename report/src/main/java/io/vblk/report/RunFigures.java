package io.vblk.report;

import io.vblk.result.Interval;
import io.vblk.result.WindowFigures;
import java.util.List;

/**
 * One run of a variant as it measured, beside the variant's means ({@link VariantResult#devices()} are taken
 * over these), so a reader sees the spread: its window's figures, its host verdict ({@code hostLimit}, null when
 * the host kept up), each device's own figures and its per-interval series ({@link Interval}, empty when the run
 * kept none: {@code --interval off}, or a real guest's run, whose program counts only its whole window).
 *
 * @param run 1 for the first run of the variant
 */
public record RunFigures(int run, double durationS, double allBackloggedFraction, double dispatchLag,
                         Double diskUtilization, double loadAverageStart, double loadAverageEnd, String hostLimit,
                         List<Device> devices, List<Interval> intervals) {
    public RunFigures {
        devices = List.copyOf(devices);
        intervals = List.copyOf(intervals);
    }

    /**
     * One device in the run, named as in {@link DeviceFigures}: its I/Os and share of the run's window, the
     * share's error against its weight share in pp, frontend-seen latency percentiles in µs (the worst entry's
     * where several load entries drive the device), and its {@link WindowFigures.DeviceWindow} figures.
     */
    public record Device(String name, long ios, double share, double shareErrorPp, double iops, long p50Us, long p90Us,
                         long p99Us, long p999Us, double inServiceMean, double backlogMean, int peakInService,
                         long errors, double backloggedFraction, Double shareBacklogged, Double loadHeldFraction,
                         double idleFraction, long idleArrivals, long idleTimeouts, WindowFigures.DepthWindow depth) {}

    public Device device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name + " in run " + run));
    }
}
