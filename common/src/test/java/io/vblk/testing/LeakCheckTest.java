package io.vblk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check fails a class that dropped a buffer unreleased, and names where it was allocated. */
class LeakCheckTest {
    @Test
    void aBufferDroppedWithoutReleaseFailsTheCheckWithItsRecords() throws Exception {
        int before = LeakReports.count();
        LeakReports.quiet(true);
        leak();
        // the detector reports once the collector has queued the buffer's reference: wait for that event
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (LeakReports.count() == before && System.nanoTime() < deadline) {
            LeakReports.flush();
        }
        try {
            assertThat(LeakReports.count()).as("leak reports").isGreaterThan(before);
            assertThatThrownBy(() -> LeakCheck.check("LeakCheckTest", before)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Netty reported").hasMessageContaining("LEAK: ByteBuf")
                    .hasMessageContaining("LeakCheckTest.leak");
        } finally {
            LeakReports.forget(before);
            LeakReports.quiet(false);
        }
    }

    @Test
    void releasedBuffersPassTheCheck() {
        int before = LeakReports.count();
        for (int i = 0; i < 100; i++) {
            PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(i).release();
        }
        LeakCheck.check("LeakCheckTest", before);
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
