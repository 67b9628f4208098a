package io.vblk.load;

import io.vblk.result.Interval;

/**
 * One device's measured I/Os per {@code --interval}, counted by the same completion instant that decides whether
 * an I/O is measured, so the intervals sum to the window's count exactly. Fixed size: {@link Interval#slots}
 * counters, the last one also taking whatever a close later than planned adds. Written and read on the device's
 * event loop.
 */
final class IntervalCounts {
    private final long intervalNanos;
    private final long[] counts;

    IntervalCounts(long intervalNanos, long durationNanos) {
        this.intervalNanos = intervalNanos;
        this.counts = new long[Interval.slots(durationNanos, intervalNanos)];
    }

    /** A measured completion {@code sinceOpen} nanoseconds after the window opened. */
    void add(long sinceOpen) {
        counts[(int) Math.min(counts.length - 1, sinceOpen / intervalNanos)]++;
    }

    long[] snapshot() {
        return counts.clone();
    }
}
