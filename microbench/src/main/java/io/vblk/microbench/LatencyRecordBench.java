package io.vblk.microbench;

import io.vblk.metrics.LatencyHistogram;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the metrics add to one request: its Q2D and D2C into its queue's two {@link LatencyHistogram.Local}s, as
 * {@code DeviceQueue.reply} records them on the queue's own thread. {@code oneThread} is one queue's loop;
 * {@code twoThreads} two loops, each with its own queue (nothing is shared between them, as in the backend).
 * {@code sharedAdders} is the first version, every completing thread adding to the device's one
 * {@link LatencyHistogram}, kept to compare. The latencies cycle through the buckets, as real ones spread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LatencyRecordBench {
    private final LatencyHistogram q2d = new LatencyHistogram();
    private final LatencyHistogram d2c = new LatencyHistogram();

    /** One thread's queue: its clock and its own two histograms. */
    @State(Scope.Thread)
    public static class Queue {
        long n;
        final LatencyHistogram.Local q2d = new LatencyHistogram.Local();
        final LatencyHistogram.Local d2c = new LatencyHistogram.Local();

        // 1 us to about 1 ms, varying in the low bits as real clock readings do
        long next() {
            return 1_000 + (n++ * 7_919) % 1_000_000;
        }

        // one request, as DeviceQueue.reply records it
        void record() {
            long t = next();
            q2d.record(t);
            d2c.record(t >> 1);
        }
    }

    @Benchmark
    public void oneThread(Queue q) {
        q.record();
    }

    @Benchmark
    @Threads(2)
    public void twoThreads(Queue q) {
        q.record();
    }

    @Benchmark
    @Threads(2)
    public void sharedAdders(Queue q) {
        long t = q.next();
        q2d.record(t);
        d2c.record(t >> 1);
    }
}
