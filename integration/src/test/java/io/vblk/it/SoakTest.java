package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.DeviceStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Connections attach and detach in cycles while a steady load runs on other connections: no thread or heap
 * growth across cycles, every request answered, and the backend's counters equal what the clients counted.
 * Bounded for CI ({@value #DEFAULT_SECONDS} s); -Dvblk.soak.seconds=N runs longer.
 */
class SoakTest {
    private static final int DEFAULT_SECONDS = 20;
    private static final long CYCLE_MILLIS = 2000;
    private static final int STEADY = 4;
    private static final int STEADY_DEPTH = 8;
    private static final int CHURN = 32;
    private static final int CHURN_REQUESTS = 16;
    /**
     * Threads the JVM may add or drop on its own between samples: C2 compiler threads come and go with
     * UseDynamicNumberOfCompilerThreads, and Netty's GlobalEventExecutor thread starts on demand and ends after
     * a second idle. A per-connection leak would add CHURN threads every cycle, far above this.
     */
    private static final int THREAD_SLACK = 6;
    /**
     * Heap after a full GC moves by well under a MiB between samples once the first cycle has loaded classes
     * and filled the pools; the CI run opens about 8000 churn connections, so a leak of 1 KiB per connection
     * (far less than one leaked virtqueue or request buffer) already exceeds this.
     */
    private static final long HEAP_SLACK = 8L << 20;

    private static final String BACKEND = "port: 0\nmode: aio\ndisk: {service-time: 100us, parallelism: 4}\n"
            + "devices:\n  - {name: steady, size: 64MiB}\n  - {name: churn, size: 64MiB}\n";

    @Test
    void attachDetachCyclesUnderSteadyLoadLeakNothing() throws Exception {
        long seconds = Long.getLong("vblk.soak.seconds", DEFAULT_SECONDS);
        int cycles = (int) Math.max(4, seconds * 1000 / CYCLE_MILLIS);
        BackendConfig cfg = ConfigLoader.parse(BACKEND, BackendConfig.class, "soak.yaml");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong steadyDone = new AtomicLong();
        long churnDone = 0;
        ExecutorService pool = Executors.newFixedThreadPool(STEADY + CHURN);
        int baseThreads = 0;
        long baseHeap = 0;
        int maxThreads = 0;
        long maxHeap = 0;
        List<String> samples = new ArrayList<>();
        try (Backend backend = Backend.start(cfg)) {
            String target = "127.0.0.1:" + backend.address().getPort();
            List<Future<?>> steady = new ArrayList<>();
            for (int s = 0; s < STEADY; s++) {
                steady.add(pool.submit(() -> steadyLoad(target, stop, steadyDone)));
            }
            for (int cycle = 0; cycle < cycles; cycle++) {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CYCLE_MILLIS);
                while (System.nanoTime() < end) {
                    List<Future<Integer>> round = new ArrayList<>();
                    for (int i = 0; i < CHURN; i++) {
                        int seed = i;
                        round.add(pool.submit(() -> churnOnce(target, seed)));
                    }
                    for (Future<Integer> f : round) {
                        churnDone += f.get(30, TimeUnit.SECONDS);
                    }
                }
                System.gc();
                int t = threads.getThreadCount();
                long h = memory.getHeapMemoryUsage().getUsed();
                samples.add(t + " threads/" + (h >> 10) + " KiB");
                // the first cycle loads classes, fills buffer pools and starts every pool thread: the baseline
                if (cycle == 0) {
                    baseThreads = t;
                    baseHeap = h;
                } else {
                    maxThreads = Math.max(maxThreads, t);
                    maxHeap = Math.max(maxHeap, h);
                }
            }
            stop.set(true);
            for (Future<?> f : steady) {
                f.get(30, TimeUnit.SECONDS);
            }
            DeviceStats st = backend.stats().device("steady");
            DeviceStats ch = backend.stats().device("churn");
            System.out.printf("soak: %d cycles of %d ms, %d churn connections; steady %d and churn %d completions;"
                            + " after GC per cycle: %s%n", cycles, CYCLE_MILLIS, churnDone / CHURN_REQUESTS,
                    steadyDone.get(), churnDone, samples);
            assertThat(st.completed()).isEqualTo(steadyDone.get()).isEqualTo(st.received());
            assertThat(ch.completed()).isEqualTo(churnDone).isEqualTo(ch.received());
            assertThat(st.errors() + ch.errors()).isZero();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(maxThreads).as("live threads after the first cycle: %s", samples)
                .isLessThanOrEqualTo(baseThreads + THREAD_SLACK);
        assertThat(maxHeap).as("heap after GC: %s", samples).isLessThanOrEqualTo(baseHeap + HEAP_SLACK);
    }

    /** Keeps STEADY_DEPTH requests in flight on one connection until told to stop, then drains. */
    private static Void steadyLoad(String target, AtomicBoolean stop, AtomicLong done) throws Exception {
        try (BlockClient c = BlockClient.attach(target, "steady")) {
            List<CompletableFuture<Completion>> inFlight = new ArrayList<>();
            for (int d = 0; d < STEADY_DEPTH; d++) {
                inFlight.add(c.submit(request(d, d)));
            }
            long n = STEADY_DEPTH;
            while (!stop.get()) {
                for (int d = 0; d < STEADY_DEPTH; d++) {
                    answered(inFlight.get(d).get(10, TimeUnit.SECONDS));
                    done.incrementAndGet();
                    inFlight.set(d, c.submit(request(d, n++)));
                }
            }
            for (CompletableFuture<Completion> f : inFlight) {
                answered(f.get(10, TimeUnit.SECONDS));
                done.incrementAndGet();
            }
        }
        return null;
    }

    /** Attaches, sends CHURN_REQUESTS at once, waits for every answer, detaches; returns the answers. */
    private static int churnOnce(String target, int seed) throws Exception {
        try (BlockClient c = BlockClient.attach(target, "churn")) {
            List<CompletableFuture<Completion>> sent = new ArrayList<>();
            for (int d = 0; d < CHURN_REQUESTS; d++) {
                sent.add(c.submit(request(d, seed * CHURN_REQUESTS + d)));
            }
            for (CompletableFuture<Completion> f : sent) {
                answered(f.get(10, TimeUnit.SECONDS));
            }
            return sent.size();
        }
    }

    /**
     * Requests stay within the first MiB: the RAM store allocates a page on a block's first write, and that
     * growth, bounded by the range, must be over within the baseline cycle to not pass for a leak.
     */
    private static BlkRequest request(int descriptor, long n) {
        long sector = (n % 256) * 8;
        return n % 2 == 0 ? BlkRequest.write(0, descriptor, sector, Unpooled.wrappedBuffer(new byte[4096]))
                : BlkRequest.read(0, descriptor, sector, 4096);
    }

    private static void answered(Completion c) {
        try {
            assertThat(c.status()).isEqualTo(VirtioBlk.S_OK);
        } finally {
            c.release();
        }
    }
}
