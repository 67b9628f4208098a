package io.vblk.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.atomic.LongAdder;

/**
 * One device's Q2D or D2C: a classic Prometheus histogram recorded per request without allocating, read at
 * scrape time. Not the client's {@code Histogram}: in 1.10.0 its {@code observe} builds a capturing lambda and
 * an {@code AtomicBoolean} per call (only C2's escape analysis takes them away again) and buffers observations
 * in a growing array while a scrape runs. A {@link Local} costs a request two plain additions on its queue's
 * thread; this class's {@link LongAdder}s (the device's closed queues, a scrape's sum) stay cheap when several
 * threads add (an {@code AtomicLongArray} measured 15 times slower than these with two threads, and no faster
 * with one: {@code LatencyRecordBench}).
 *
 * <p>The buckets are powers of two microseconds, 1 µs to 2^23 µs (8.4 s), as biolatency's are: a request's
 * bucket is computed from its leading zeros, with no search and so no mispredicted branch on the request path.
 * The count is the sum of the buckets, read once, so count and buckets always agree; the sum may be a request
 * ahead or behind them. Thread-safe. A device keeps one of these for the queues that have closed, and each
 * open queue a {@link Local} that only its own thread writes; a scrape adds them up ({@link #plus}).
 */
public final class LatencyHistogram {
    /** Buckets with a bound, 2^0 to 2^23 µs; one more for +Inf. */
    static final int BOUNDED = 24;
    private static final double[] BOUNDS_SECONDS = new double[BOUNDED + 1];

    static {
        for (int k = 0; k < BOUNDED; k++) {
            BOUNDS_SECONDS[k] = (1L << k) * 1e-6;
        }
        BOUNDS_SECONDS[BOUNDED] = Double.POSITIVE_INFINITY;
    }

    // buckets[k]: requests of at most 2^k µs and more than 2^(k-1) µs; the last one +Inf's
    private final LongAdder[] buckets = new LongAdder[BOUNDED + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int k = 0; k < buckets.length; k++) {
            buckets[k] = new LongAdder();
        }
    }

    /** One request took {@code nanos} (a clock read on another thread may make it slightly negative: 0 then). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        buckets[bucket(n)].increment();
        sumNanos.add(n);
    }

    /**
     * The first bucket whose bound is at least {@code n >= 0} nanoseconds: n <= 2^k µs exactly when
     * ceil(n / 1000) - 1 = floor((n - 1) / 1000) < 2^k, so k is that number's bit length (Java's division
     * truncates -1 / 1000 to 0, which puts n = 0 in the first bucket; nothing overflows).
     */
    static int bucket(long n) {
        return Math.min(BOUNDED, 64 - Long.numberOfLeadingZeros((n - 1) / 1000));
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
        long[] counts = new long[BOUNDED + 1];
        for (int k = 0; k <= BOUNDED; k++) {
            counts[k] = buckets[k].sum();
        }
        return HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS_SECONDS, counts))
                .sum(sumNanos.sum() / 1e9)
                .labels(labels)
                .build();
    }

    /** Adds what {@code local} recorded to this one: a queue that closes folds its counts into its device's. */
    public void add(Local local) {
        for (int k = 0; k <= BOUNDED; k++) {
            buckets[k].add(local.count(k));
        }
        sumNanos.add(local.sum());
    }

    /** A copy of this one plus everything {@code locals} recorded, for one scrape. */
    public LatencyHistogram plus(Iterable<Local> locals) {
        LatencyHistogram out = new LatencyHistogram();
        for (int k = 0; k <= BOUNDED; k++) {
            out.buckets[k].add(buckets[k].sum());
        }
        out.sumNanos.add(sumNanos.sum());
        for (Local l : locals) {
            out.add(l);
        }
        return out;
    }

    /**
     * One queue's share of a device's histogram: written by that queue's thread alone, with plain additions
     * published by opaque stores (no read-modify-write shared with another thread), read by a scrape at any time.
     */
    public static final class Local {
        private static final java.lang.invoke.VarHandle COUNTS =
                java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
        // counts[k] for k <= BOUNDED as the buckets, counts[BOUNDED + 1] the sum in nanoseconds; one writer
        private final long[] counts = new long[BOUNDED + 2];

        /** On the queue's own thread only. */
        public void record(long nanos) {
            long n = Math.max(0, nanos);
            int k = LatencyHistogram.bucket(n);
            COUNTS.setOpaque(counts, k, (long) COUNTS.getOpaque(counts, k) + 1);
            COUNTS.setOpaque(counts, BOUNDED + 1, (long) COUNTS.getOpaque(counts, BOUNDED + 1) + n);
        }

        long count(int k) {
            return (long) COUNTS.getOpaque(counts, k);
        }

        long sum() {
            return (long) COUNTS.getOpaque(counts, BOUNDED + 1);
        }
    }
}
