package io.vblk.result;

import java.util.ArrayList;
import java.util.List;

/**
 * One interval of a run's measured window ({@code --interval}): its place in the window in seconds from the
 * window's start, and per driven device the I/Os that completed in it, their rate over the interval's own
 * length and their share of all devices' I/Os in it (0 when none completed).
 */
public record Interval(double startS, double endS, List<Device> devices) {
    /**
     * A final piece shorter than this fraction of the interval is the window's close running a moment late,
     * not an interval: it joins the one before, whose rate is then taken over its longer length.
     */
    public static final double SLIVER = 0.1;
    /** The most intervals one run's window is split into: the series is kept in memory while the run lasts. */
    public static final int MAX_INTERVALS = 10_000;

    public Interval {
        devices = List.copyOf(devices);
    }

    public record Device(String name, long ios, double iops, double share) {}

    /** How many counters a window of {@code windowNanos} needs at {@code intervalNanos}: one more for a late close. */
    public static int slots(long windowNanos, long intervalNanos) {
        return (int) Math.min(MAX_INTERVALS + 1L, (windowNanos + intervalNanos - 1) / intervalNanos + 1);
    }

    /**
     * The series of one window from per-device counts by interval index (a count at index k completed in
     * [k, k+1) intervals from the window's start; the last counter also holds anything later).
     *
     * @param windowNanos the window's actual length, from its open to its close
     * @param names       the devices, in the order to report them
     * @param counts      per device (same order), its I/Os by interval index; all the same length
     */
    public static List<Interval> series(long intervalNanos, long windowNanos, List<String> names, List<long[]> counts) {
        if (intervalNanos <= 0 || windowNanos <= 0) {
            throw new IllegalArgumentException("interval and window must be positive, got " + intervalNanos + "ns and "
                    + windowNanos + "ns");
        }
        if (names.size() != counts.size()) {
            throw new IllegalArgumentException(names.size() + " devices but " + counts.size() + " count arrays");
        }
        int slots = counts.isEmpty() ? slots(windowNanos, intervalNanos) : counts.get(0).length;
        // the intervals that start inside the window; a count past the last one (a late close) belongs to it
        int n = (int) Math.min(slots, (windowNanos + intervalNanos - 1) / intervalNanos);
        long lastStart = (n - 1) * intervalNanos;
        if (n > 1 && windowNanos - lastStart < SLIVER * intervalNanos) {
            n--;
        }
        List<Interval> series = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long from = k * intervalNanos;
            long to = k == n - 1 ? windowNanos : from + intervalNanos;
            long[] ios = new long[names.size()];
            long all = 0;
            for (int d = 0; d < names.size(); d++) {
                long[] c = counts.get(d);
                // the last interval takes every later counter: a sliver it absorbed, a close later than planned
                for (int j = k; j < (k == n - 1 ? c.length : k + 1); j++) {
                    ios[d] += c[j];
                }
                all += ios[d];
            }
            double seconds = (to - from) / 1e9;
            List<Device> devices = new ArrayList<>(names.size());
            for (int d = 0; d < names.size(); d++) {
                devices.add(new Device(names.get(d), ios[d], ios[d] / seconds, all == 0 ? 0 : (double) ios[d] / all));
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
