package io.vblk.logs;

import org.HdrHistogram.Histogram;

/**
 * The values of one quantity (nanoseconds, or a count). Count, mean and maximum are exact; percentiles come
 * from an HdrHistogram at 3 significant digits (within 0.1%). A negative value (two clocks that disagree)
 * is recorded as 0 and counted, since a histogram cannot hold it.
 */
final class Distribution {
    private final Histogram histogram = new Histogram(3);
    private long count;
    private long sum;
    private long max;
    private long min = Long.MAX_VALUE;
    private long negatives;

    void add(long value) {
        if (value < 0) {
            negatives++;
            value = 0;
        }
        histogram.recordValue(value);
        count++;
        sum += value;
        max = Math.max(max, value);
        min = Math.min(min, value);
    }

    /** The smallest value, exact; Long.MAX_VALUE when there is none. */
    long min() {
        return min;
    }

    long count() {
        return count;
    }

    long negatives() {
        return negatives;
    }

    /** The values as nanoseconds shown in µs; null when there are none. */
    Timing timing() {
        if (count == 0) {
            return null;
        }
        return new Timing(Math.round((double) sum / count) / 1e3, percentile(50) / 1e3, percentile(99) / 1e3, max / 1e3);
    }

    /** The values as counts; null when there are none. */
    Spread spread() {
        if (count == 0) {
            return null;
        }
        return new Spread(Math.round(100.0 * sum / count) / 100.0, percentile(50), percentile(99), max);
    }

    /** Never above the exact maximum, which a bucket's upper end can overshoot. */
    private long percentile(double p) {
        return Math.min(histogram.getValueAtPercentile(p), max);
    }
}
