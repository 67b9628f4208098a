package io.vblk.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.config.DiskConfig;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The disk never serves faster than parallelism / service-time: the k-th completion cannot come before
 * k / parallelism service times have passed since the burst arrived. (How close to that it gets is a
 * benchmark figure, not a test.)
 */
class EmulatedDiskTest {
    private static final class T {
        long servedAt;
    }

    @Test
    void neverExceedsItsCapacityAndServesEverything() throws Exception {
        int n = 400;
        int parallelism = 4;
        long service = 500_000;
        CountDownLatch done = new CountDownLatch(n);
        ConcurrentLinkedQueue<T> order = new ConcurrentLinkedQueue<>();
        try (EmulatedDisk<T> disk = new EmulatedDisk<>(new DiskConfig(Duration.ofNanos(service), null, parallelism),
                System::nanoTime, t -> 4096, (t, slotFreeSince) -> {
                    t.servedAt = System.nanoTime();
                    order.add(t);
                    done.countDown();
                })) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                disk.submit(new T());
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            int k = 0;
            for (T t : order) {
                k++;
                long earliest = (long) ((k + parallelism - 1) / parallelism) * service;
                assertThat(t.servedAt - start).as("completion %d", k).isGreaterThanOrEqualTo(earliest);
            }
            assertThat(disk.busy()).as("slots held").isBetween(0, parallelism);
        }
    }

    @Test
    void transferRateAddsPerByteTime() {
        DiskConfig c = new DiskConfig(Duration.ofNanos(100_000), io.vblk.config.ByteSize.parse("100MiB"), 1);
        assertThat(c.serviceNanos(0)).isEqualTo(100_000);
        assertThat(c.serviceNanos(1 << 20)).isEqualTo(100_000 + 10_000_000);
    }
}
