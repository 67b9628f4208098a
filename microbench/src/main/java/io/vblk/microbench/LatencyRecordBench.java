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
 * What the metrics add to one request: its Q2D and D2C into the device's two {@link LatencyHistogram}s, as
 * {@code RequestPath.perform} records them. {@code oneThread} is a device served by one event loop (each
 * connection is on one); {@code twoThreads} two loops completing requests of the same device at once, the
 * atomic additions contended. The latencies cycle through the buckets, as real ones spread over them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LatencyRecordBench {
    private final LatencyHistogram q2d = new LatencyHistogram();
    private final LatencyHistogram d2c = new LatencyHistogram();

    @State(Scope.Thread)
    public static class Clock {
        long n;
    }

    @Benchmark
    public void oneThread(Clock c) {
        record(c);
    }

    @Benchmark
    @Threads(2)
    public void twoThreads(Clock c) {
        record(c);
    }

    private void record(Clock c) {
        // 1 us to about 1 ms, varying in the low bits as real clock readings do
        long t = 1_000 + (c.n++ * 7_919) % 1_000_000;
        q2d.record(t);
        d2c.record(t >> 1);
    }
}
