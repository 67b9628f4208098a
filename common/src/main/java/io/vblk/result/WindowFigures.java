package io.vblk.result;

import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the backend's counters at both ends of one measured window say about that window: could the weights
 * act (was each device backlogged, and how did the scheduler split its decisions while all were), and did the
 * host keep up with the work the load asked for (requests held per process, dispatch lag, disk busy).
 * All fractions are 0..1; a figure that the window cannot give is null.
 *
 * @param allBackloggedFraction time during which every driven device had a request waiting at the scheduler
 * @param dispatchLag time during which a dispatch was possible but no backend thread had taken it yet
 * @param diskUtilization busy slot-time over slots times the window; null without an emulated disk
 */
public record WindowFigures(double seconds, double allBackloggedFraction, double dispatchLag, Double diskUtilization,
                            List<DeviceWindow> devices) {
    /** Below this fraction of the window the all-backlogged split says too little to print. */
    public static final double MIN_ALL_BACKLOGGED = 0.01;
    /** A device whose load held fewer of its processes' requests than this was starved by the host. */
    public static final double MIN_LOAD_HELD = 0.9;
    /** More dispatch lag than this means the backend's threads, not its policy, decided the timing. */
    public static final double MAX_DISPATCH_LAG = 0.05;

    /**
     * One device over the window.
     *
     * @param backloggedFraction time with at least one of its requests waiting at the scheduler
     * @param shareBacklogged its share of the decisions taken while every driven device was backlogged;
     *     null when that time was under {@link #MIN_ALL_BACKLOGGED} of the window
     * @param loadHeldFraction mean requests the load kept outstanding over its processes: for simulated
     *     processes those the backend held (received, not yet answered), for a real guest those its driver
     *     had on the vrings ({@code outstandingMean}), since the backend may leave them there (sync mode);
     *     null when the processes are not known
     * @param idleFraction time the scheduler idled the disk for it ({@code scheduler.idle}); idleArrivals and
     *     idleTimeouts count its idle periods that ended in its next request and those that timed out
     * @param outstandingMean a guest's chains outstanding on the device's vrings, time-weighted, from the
     *     vhost-user door's counters; null for a device no guest drove
     * @param depth its latency-driven depth over the window ({@code scheduler.depth: auto}); null otherwise
     */
    public record DeviceWindow(String name, int weight, double weightShare, double backloggedFraction,
                               Double shareBacklogged, Double loadHeldFraction, double inServiceMean,
                               double backlogMean, int peakInService, double idleFraction, long idleArrivals,
                               long idleTimeouts, Double outstandingMean, DepthWindow depth) {}

    /**
     * A device's latency-driven depth over a window: its time-weighted mean, the least and most it stood at,
     * the windows of the depth control that ended in it missing its latency target, and the series: pairs
     * [ms since the window's start, depth], the depth at the start first.
     */
    public record DepthWindow(double mean, int min, int max, long latencyMisses, List<double[]> series) {
        static DepthWindow of(DeviceStats.Depth a, DeviceStats.Depth b, long from, long to) {
            List<double[]> series = new ArrayList<>();
            long[] first = b.series().get(0);
            for (long[] p : b.series()) {
                if (p[0] <= from) {
                    first = p;
                }
            }
            series.add(new double[] {0, first[1]});
            for (long[] p : b.series()) {
                if (p[0] > from && p[0] <= to) {
                    series.add(new double[] {(p[0] - from) / 1e6, p[1]});
                }
            }
            int min = series.stream().mapToInt(p -> (int) p[1]).min().orElseThrow();
            int max = series.stream().mapToInt(p -> (int) p[1]).max().orElseThrow();
            return new DepthWindow((double) (b.depthArea() - a.depthArea()) / (to - from), min, max,
                    b.latencyMisses() - a.latencyMisses(), series);
        }
    }

    /**
     * @param processes per driven device, the load's processes (each keeps one request outstanding); the
     *     map's order is the devices' order, and only these devices count
     */
    public static WindowFigures of(BackendStats start, BackendStats end, Map<String, Integer> processes) {
        double dt = end.nanos() - start.nanos();
        if (dt <= 0) {
            throw new IllegalArgumentException("the window's end is not after its start");
        }
        double allBacklogged = (end.allBackloggedNanos() - start.allBackloggedNanos()) / dt;
        long allDecisions = 0;
        double weights = 0;
        for (String name : processes.keySet()) {
            allDecisions += end.device(name).dispatchedAllBacklogged() - start.device(name).dispatchedAllBacklogged();
            weights += end.device(name).weight();
        }
        List<DeviceWindow> devices = new ArrayList<>();
        for (Map.Entry<String, Integer> e : processes.entrySet()) {
            DeviceStats a = start.device(e.getKey());
            DeviceStats b = end.device(e.getKey());
            Double shareBacklogged = allBacklogged < MIN_ALL_BACKLOGGED || allDecisions == 0 ? null
                    : (double) (b.dispatchedAllBacklogged() - a.dispatchedAllBacklogged()) / allDecisions;
            Double outstanding = b.outstandingArea() == 0 ? null : (b.outstandingArea() - a.outstandingArea()) / dt;
            double kept = outstanding != null ? outstanding : (b.heldArea() - a.heldArea()) / dt;
            Double held = e.getValue() == null || e.getValue() <= 0 ? null : kept / e.getValue();
            devices.add(new DeviceWindow(e.getKey(), b.weight(), weights == 0 ? 0 : b.weight() / weights,
                    (b.backloggedNanos() - a.backloggedNanos()) / dt, shareBacklogged, held,
                    (b.inServiceArea() - a.inServiceArea()) / dt, (b.backlogArea() - a.backlogArea()) / dt,
                    b.peakInService(), (b.idleNanos() - a.idleNanos()) / dt, b.idleArrivals() - a.idleArrivals(),
                    b.idleTimeouts() - a.idleTimeouts(), outstanding,
                    a.depth() == null || b.depth() == null ? null
                            : DepthWindow.of(a.depth(), b.depth(), start.nanos(), end.nanos())));
        }
        Double disk = end.diskSlots() == 0 ? null
                : (end.diskBusyNanos() - start.diskBusyNanos()) / (dt * end.diskSlots());
        return new WindowFigures(dt / 1e9, allBacklogged, (end.dispatchLagNanos() - start.dispatchLagNanos()) / dt, disk,
                devices);
    }

    public DeviceWindow device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name + " in the window"));
    }
}
