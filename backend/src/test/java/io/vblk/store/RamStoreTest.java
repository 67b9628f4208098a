package io.vblk.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RamStoreTest {
    @Test
    void largeDeviceCostsNothingUntilWritten() {
        RamStore s = new RamStore(64L << 30);
        assertThat(s.residentBytes()).isZero();
        ByteBuf got = Unpooled.buffer();
        s.read((64L << 30) - 8192, got, 8192);
        assertThat(got.readableBytes()).isEqualTo(8192);
        assertThat(got.forEachByte(b -> b == 0)).isEqualTo(-1);
        s.write(12345L * 512, Unpooled.wrappedBuffer(new byte[512]).setByte(0, 9));
        assertThat(s.residentBytes()).isEqualTo(4096);
    }

    @Test
    void writesSpanningPagesReadBack() {
        RamStore s = new RamStore(1 << 20);
        byte[] data = new byte[10_000];
        new java.util.Random(3).nextBytes(data);
        s.write(3000, Unpooled.wrappedBuffer(data));
        ByteBuf got = Unpooled.buffer();
        s.read(3000, got, data.length);
        assertThat(got.array()).startsWith(data);
    }

    @Test
    void discardFreesWholePagesAndZeroesPartOnes() {
        RamStore s = new RamStore(1 << 20);
        byte[] ones = new byte[16384];
        java.util.Arrays.fill(ones, (byte) 1);
        s.write(0, Unpooled.wrappedBuffer(ones));
        s.discard(512, 8192);
        assertThat(s.residentBytes()).isEqualTo(3 * 4096);
        ByteBuf got = Unpooled.buffer();
        s.read(0, got, 16384);
        for (int i = 0; i < 16384; i++) {
            assertThat(got.getByte(i)).as("byte %d", i).isEqualTo((byte) (i >= 512 && i < 8704 ? 0 : 1));
        }
    }
}
