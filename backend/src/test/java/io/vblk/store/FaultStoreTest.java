package io.vblk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.config.FaultConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultStoreTest {
    private static ByteBuf block(int value) {
        byte[] b = new byte[512];
        java.util.Arrays.fill(b, (byte) value);
        return Unpooled.wrappedBuffer(b);
    }

    private static byte firstByteAt(BlockStore s, long offset) throws IOException {
        ByteBuf got = Unpooled.buffer();
        s.read(offset, got, 512);
        return got.getByte(0);
    }

    @Test
    void everyNthOperationFailsAndWritesNothing() throws IOException {
        RamStore ram = new RamStore(1 << 20);
        FaultStore s = new FaultStore(ram, new FaultConfig(3, null, null));
        s.write(0, block(1));
        s.write(512, block(2));
        assertThatThrownBy(() -> s.write(1024, block(3))).isInstanceOf(IOException.class)
                .hasMessageContaining("injected fault").hasMessageContaining("operation 3");
        assertThat(firstByteAt(ram, 1024)).isZero();
        s.write(1024, block(4));
        s.flush();
        assertThatThrownBy(s::flush).isInstanceOf(IOException.class).hasMessageContaining("operation 6");
        assertThat(s.operations()).isEqualTo(6);
    }

    @Test
    void anyOperationTouchingTheRangeFailsOthersPass() throws IOException {
        RamStore ram = new RamStore(1 << 20);
        FaultStore s = new FaultStore(ram, new FaultConfig(null, List.of(100L, 199L), null));
        s.write(99 * 512, block(7));              // ends right before the range
        s.write(200 * 512, block(8));             // starts right after it
        assertThat(firstByteAt(s, 99 * 512)).isEqualTo((byte) 7);
        assertThat(firstByteAt(s, 200 * 512)).isEqualTo((byte) 8);
        // one sector of a two-sector write inside the range is enough, and the other sector stays unwritten
        assertThatThrownBy(() -> s.write(99 * 512, Unpooled.wrappedBuffer(new byte[1024])))
                .isInstanceOf(IOException.class).hasMessageContaining("sectors 99..100").hasMessageContaining("[100, 199]");
        assertThat(firstByteAt(ram, 99 * 512)).isEqualTo((byte) 7);
        assertThatThrownBy(() -> s.read(199 * 512, Unpooled.buffer(), 512)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> s.discard(0, 1 << 20)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> s.writeZeroes(150 * 512, 512)).isInstanceOf(IOException.class);
        s.flush(); // touches no sector
    }

    @Test
    void delayMakesEvenRamBlockingAndWaitsBeforeEachOperation() throws IOException {
        FaultStore plain = new FaultStore(new RamStore(1 << 20), new FaultConfig(2, null, null));
        assertThat(plain.blocking()).isFalse();
        FaultStore slow = new FaultStore(new RamStore(1 << 20), new FaultConfig(null, null, Duration.ofMillis(20)));
        assertThat(slow.blocking()).isTrue();
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            slow.write(i * 512L, block(i));
        }
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void interruptedDelayFailsTheOperationAndKeepsTheInterrupt() {
        FaultStore slow = new FaultStore(new RamStore(1 << 20), new FaultConfig(null, null, Duration.ofSeconds(10)));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> slow.write(0, block(1))).isInstanceOf(java.io.InterruptedIOException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
