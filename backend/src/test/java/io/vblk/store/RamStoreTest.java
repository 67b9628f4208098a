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

    @Test
    void discardAndWriteZeroesCostThePagesPresentNotTheRangeSpanned() {
        // the case: a whole-device DISCARD of a mostly empty 1 TiB device walked 268 million pages
        RamStore s = new RamStore(1L << 40);
        byte[] ones = new byte[8192];
        java.util.Arrays.fill(ones, (byte) 1);
        for (long at : new long[] {0, 5L << 30, (1L << 40) - 8192}) {
            s.write(at, Unpooled.wrappedBuffer(ones));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            s.discard(512, (1L << 40) - 1024);
            s.writeZeroes(0, 1L << 40);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(s.residentBytes()).isZero();
        assertThat(ms).as("40 whole-device discards and write-zeroes, ms").isLessThan(500);
    }

    @Test
    void aDiscardAcrossSegmentsKeepsWhatLiesOutsideIt() {
        RamStore s = new RamStore(64L << 20);
        byte[] ones = new byte[48 << 20];
        java.util.Arrays.fill(ones, (byte) 1);
        s.write(8L << 20, Unpooled.wrappedBuffer(ones));
        // from 2 KiB into the first written segment to 1 KiB before the end of the last one
        long from = (8L << 20) + 2048;
        long to = (56L << 20) - 1024;
        s.discard(from, to - from);
        ByteBuf got = Unpooled.buffer();
        s.read(8L << 20, got, 48 << 20);
        for (long at = 8L << 20; at < 56L << 20; at += 512) {
            byte expect = at >= from && at < to ? (byte) 0 : (byte) 1;
            assertThat(got.getByte((int) (at - (8L << 20)))).as("byte at %d", at).isEqualTo(expect);
        }
        // the two partial pages at the ends stay, zeroed in part
        assertThat(s.residentBytes()).isEqualTo(2 * 4096);
    }

    @Test
    void aRamStoreOverTheMaximumIsRefusedNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RamStore(65536L << 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64TiB");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RamStore(8388607L << 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64TiB");
    }
}
