package io.vblk.microbench;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Bytes allocated per operation of the codec and store benchmarks when they run where the backend runs them:
 * on a Netty {@link FastThreadLocalThread} (an event loop's kind of thread), where the pooled allocator's
 * thread cache and Netty's object recycler are active. JMH's {@code -prof gc} measures on JMH's own threads,
 * where the recycler does not pool, so it also counts the small buffer wrappers an event loop reuses.
 *
 * <p>Run: {@code java -cp microbench/target/vblk-microbench.jar io.vblk.microbench.AllocPerOp}
 */
public final class AllocPerOp {
    private static final int WARMUP = 300_000;
    private static final int MEASURED = 1_000_000;

    private AllocPerOp() {}

    public static void main(String[] args) throws Exception {
        Map<String, Double> results = new LinkedHashMap<>();
        Thread t = new FastThreadLocalThread(() -> measureAll(results), "alloc-probe");
        t.start();
        t.join();
        results.forEach((name, bytes) -> System.out.printf(Locale.ROOT, "%-45s %8.1f B/op%n", name, bytes));
    }

    private static void measureAll(Map<String, Double> results) {
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        FrameCodecBench codec = new FrameCodecBench();
        codec.setup();
        RamStoreBench ram = new RamStoreBench();
        ram.setup();
        try {
            results.put("FrameCodecBench.codecEncodeWriteRequest", perOp(() -> codec.codecEncodeWriteRequest(bh)));
            results.put("FrameCodecBench.codecDecodeWriteRequest", perOp(() -> codec.codecDecodeWriteRequest(bh)));
            results.put("FrameCodecBench.codecEncodeReadCompletion", perOp(() -> codec.codecEncodeReadCompletion(bh)));
            results.put("FrameCodecBench.codecDecodeReadCompletion", perOp(() -> codec.codecDecodeReadCompletion(bh)));
            results.put("FrameCodecBench.pipelineDecodeWriteRequest", perOp(() -> codec.pipelineDecodeWriteRequest(bh)));
            results.put("FrameCodecBench.pipelineEncodeReadCompletion", perOp(() -> codec.pipelineEncodeReadCompletion(bh)));
            results.put("RamStoreBench.read4k", perOp(() -> bh.consume(ram.read4k())));
            results.put("RamStoreBench.write4k", perOp(() -> bh.consume(ram.write4k())));
        } finally {
            codec.tearDown();
            ram.tearDown();
        }
        bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    private static double perOp(Runnable op) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            op.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            op.run();
        }
        return (threads.getCurrentThreadAllocatedBytes() - before) / (double) MEASURED;
    }
}
