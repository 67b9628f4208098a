package io.vblk.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.LongAdder;

/**
 * One device's Q2D or D2C: a classic Prometheus histogram recorded per request without allocating, read at
 * scrape time. Not the client's {@code Histogram}: in 1.10.0 its {@code observe} builds a capturing lambda and
 * an {@code AtomicBoolean} per call (only C2's escape analysis takes them away again) and buffers observations
 * in a growing array while a scrape runs; here a request adds to two {@link LongAdder}s, whatever runs at the
 * time. The count is the sum of the buckets, read once, so count and buckets always agree; the sum may be a
 * request ahead or behind them. Thread-safe.
 */
public final class LatencyHistogram {
    /** The buckets' upper bounds in nanoseconds: 1-2.5-5 steps from 1 µs (RAM) to 10 s (a stalled file store). */
    static final long[] BOUNDS = {
        1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000,
        1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};
    private static final double[] BOUNDS_SECONDS = new double[BOUNDS.length + 1];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_SECONDS[i] = BOUNDS[i] / 1e9;
        }
        BOUNDS_SECONDS[BOUNDS.length] = Double.POSITIVE_INFINITY;
    }

    // buckets[i]: requests of at most BOUNDS[i] and more than BOUNDS[i - 1]; the last one is +Inf's
    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** One request took {@code nanos} (a clock read on another thread may make it slightly negative: 0 then). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        buckets[bucket(n)].increment();
        sumNanos.add(n);
    }

    // the first bucket whose bound is at least n: a binary search over 22 bounds, no allocation
    static int bucket(long n) {
        int lo = 0;
        int hi = BOUNDS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (BOUNDS[mid] < n) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Requests recorded so far. */
    public long count() {
        long c = 0;
        for (LongAdder b : buckets) {
            c += b.sum();
        }
        return c;
    }

    /** At scrape time: the data point, in seconds, with {@code labels}. */
    HistogramSnapshot.HistogramDataPointSnapshot snapshot(Labels labels) {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts))
                .sum(sumNanos.sum() / 1e9)
                .labels(labels)
                .build();
    }
}
