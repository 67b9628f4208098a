package io.vblk.result;

import java.util.ArrayList;
import java.util.List;

/**
 * One interval of a run's measured window ({@code --interval}): its place in the window in seconds from the
 * window's start, and per driven device the I/Os that completed in it, their rate over the interval's own
 * length and their share of all devices' I/Os in it (0 when none completed).
 */
public record Interval(double startS, double endS, List<Device> devices) {
    /** The most intervals one run's window is split into: the series is kept in memory while the run lasts. */
    public static final int MAX_INTERVALS = 10_000;

    public Interval {
        devices = List.copyOf(devices);
    }

    public record Device(String name, long ios, double iops, double share) {}

    /**
     * The intervals of a window planned to last {@code plannedNanos}: the last may be shorter than the others
     * (the window is not a multiple of the interval), and it also takes whatever a close later than planned
     * adds, so the count does not depend on how promptly the host closed the window.
     */
    public static int slots(long plannedNanos, long intervalNanos) {
        return (int) Math.max(1, Math.min(MAX_INTERVALS, (plannedNanos + intervalNanos - 1) / intervalNanos));
    }

    /**
     * The series of one window from per-device counts by interval index (a count at index k completed in
     * [k, k+1) intervals from the window's start; the last index also holds anything later).
     *
     * @param windowNanos the window's actual length, from its open to its close: where the last interval ends
     * @param names       the devices, in the order to report them
     * @param counts      per device (same order), its I/Os by interval index, {@link #slots} of them each
     */
    public static List<Interval> series(long intervalNanos, long windowNanos, List<String> names, List<long[]> counts) {
        if (intervalNanos <= 0 || windowNanos <= 0) {
            throw new IllegalArgumentException("interval and window must be positive, got " + intervalNanos + "ns and "
                    + windowNanos + "ns");
        }
        if (names.isEmpty() || names.size() != counts.size()) {
            throw new IllegalArgumentException(names.size() + " devices but " + counts.size() + " count arrays");
        }
        int n = counts.get(0).length;
        List<Interval> series = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long from = k * intervalNanos;
            // a close earlier than planned cannot leave an interval ending before it starts
            long to = k == n - 1 ? Math.max(from, windowNanos) : from + intervalNanos;
            long[] ios = new long[names.size()];
            long all = 0;
            for (int d = 0; d < names.size(); d++) {
                ios[d] = counts.get(d)[k];
                all += ios[d];
            }
            double seconds = (to - from) / 1e9;
            List<Device> devices = new ArrayList<>(names.size());
            for (int d = 0; d < names.size(); d++) {
                devices.add(new Device(names.get(d), ios[d], seconds > 0 ? ios[d] / seconds : 0,
                        all == 0 ? 0 : (double) ios[d] / all));
            }
            series.add(new Interval(from / 1e9, to / 1e9, devices));
        }
        return series;
    }

    public Device device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name + " in the interval"));
    }
}
