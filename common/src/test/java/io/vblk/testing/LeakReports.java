package io.vblk.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the leaks Netty's detector reports in this JVM, so that a test class can fail on the leaks its own
 * code caused rather than a script grepping logs afterwards. Installed as the detector factory before any
 * buffer class loads (by {@link LeakSession}); every report is still logged as Netty logs it.
 */
public final class LeakReports {
    private LeakReports() {}

    // guarded by the class: reports arrive on whichever thread allocates a tracked buffer
    private static final List<String> REPORTS = new ArrayList<>();
    private static boolean installed;
    // while true, reports are counted but not logged: the one test that leaks on purpose sets it
    private static boolean quiet;

    static synchronized void install() {
        if (!installed) {
            installed = true;
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
        }
    }

    static synchronized int count() {
        return REPORTS.size();
    }

    static synchronized List<String> since(int from) {
        return List.copyOf(REPORTS.subList(from, REPORTS.size()));
    }

    /** Counts reports without logging them, for the test that leaks on purpose to prove the check. */
    static synchronized void quiet(boolean q) {
        quiet = q;
    }

    private static synchronized boolean quiet() {
        return quiet;
    }

    /** Drops the reports since {@code from}: that test's own. */
    static synchronized void forget(int from) {
        REPORTS.subList(from, REPORTS.size()).clear();
    }

    private static synchronized void add(String report) {
        REPORTS.add(report);
    }

    /**
     * Makes leaks of buffers that are already unreachable show now: the detector notices a collected buffer
     * only when it next tracks an allocation, so collect, then allocate and release tracked buffers.
     */
    static void flush() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            // under the simple level one allocation in 128 is tracked: enough rounds to be tracked at any level
            for (int i = 0; i < 256; i++) {
                ByteBuf b = i % 2 == 0 ? PooledByteBufAllocator.DEFAULT.directBuffer(1)
                        : UnpooledByteBufAllocator.DEFAULT.heapBuffer(1);
                b.release();
            }
        }
    }

    private static final class Factory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new Counting<>(resource, samplingInterval);
        }
    }

    private static final class Counting<T> extends ResourceLeakDetector<T> {
        Counting(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            add("LEAK: " + resourceType + " was garbage-collected without release()" + records);
            if (!quiet()) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            add("LEAK: " + resourceType + " was garbage-collected without release() (no records)");
            if (!quiet()) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }
}
