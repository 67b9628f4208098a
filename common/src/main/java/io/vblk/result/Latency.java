package io.vblk.result;

import org.HdrHistogram.Histogram;

/** Latency percentiles, mean and maximum of the measured requests, in microseconds; all zero when none. */
public record Latency(long p50, long p90, long p99, long p999, double mean, long max) {
    public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0);

    public static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return NONE;
        }
        return new Latency(h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMean(), h.getMaxValue());
    }
}
