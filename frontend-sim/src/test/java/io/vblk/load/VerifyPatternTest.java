package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerifyPatternTest {
    private static final int BLOCK = 4096;
    private final ByteBuf buf = Unpooled.buffer(BLOCK);

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void aRangeAcceptsAnyWholeGenerationInItAndNothingElse() {
        VerifyPattern.fill(buf, 5, 3, BLOCK);
        assertThat(VerifyPattern.checkRange(buf, 5, 2, 4, BLOCK)).isNull();
        assertThat(VerifyPattern.checkRange(buf, 5, 4, 6, BLOCK)).contains("flushed write was lost");
        assertThat(VerifyPattern.checkRange(buf, 5, 1, 2, BLOCK)).contains("never sent");
        // a torn block: the first half from generation 3, the rest from generation 4
        ByteBuf newer = VerifyPattern.fill(Unpooled.buffer(BLOCK), 5, 4, BLOCK);
        buf.setBytes(BLOCK / 2, newer, BLOCK / 2, BLOCK / 2);
        newer.release();
        assertThat(VerifyPattern.checkRange(buf, 5, 2, 4, BLOCK)).contains("body differs");
    }

    @Test
    void aBlockMatchesItself() {
        VerifyPattern.fill(buf, 12345, 7, BLOCK);
        assertThat(buf.readableBytes()).isEqualTo(BLOCK);
        assertThat(VerifyPattern.check(buf, 12345, 7, BLOCK)).isNull();
        assertThat(buf.readerIndex()).isZero();
    }

    @Test
    void eachCorruptedByteIsDetected() {
        VerifyPattern.fill(buf, 99, 3, BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            byte was = buf.getByte(i);
            buf.setByte(i, was ^ 0x10);
            assertThat(VerifyPattern.check(buf, 99, 3, BLOCK)).as("flipped a bit of byte %d", i).isNotNull();
            buf.setByte(i, was);
        }
        assertThat(VerifyPattern.check(buf, 99, 3, BLOCK)).isNull();
    }

    @Test
    void aBodyCorruptionNamesItsFirstByte() {
        VerifyPattern.fill(buf, 1, 1, BLOCK);
        buf.setByte(1000, buf.getByte(1000) + 1);
        assertThat(VerifyPattern.check(buf, 1, 1, BLOCK)).isEqualTo("body differs from byte 1000 on (header intact)");
    }

    @Test
    void anOlderGenerationIsAStaleWrite() {
        VerifyPattern.fill(buf, 5, 2, BLOCK);
        assertThat(VerifyPattern.check(buf, 5, 3, BLOCK)).contains("holds generation 2, expected 3").contains("stale");
    }

    @Test
    void anotherBlocksDataIsAMisplacedWrite() {
        VerifyPattern.fill(buf, 6, 1, BLOCK);
        assertThat(VerifyPattern.check(buf, 5, 1, BLOCK)).contains("holds the data of block 6");
    }

    @Test
    void zerosHaveNoHeader() {
        buf.writeZero(BLOCK);
        assertThat(VerifyPattern.check(buf, 0, 1, BLOCK)).startsWith("no vblk header");
    }

    @Test
    void aShortReadIsAMismatch() {
        VerifyPattern.fill(buf, 8, 1, BLOCK);
        buf.writerIndex(BLOCK - 512);
        assertThat(VerifyPattern.check(buf, 8, 1, BLOCK)).contains("3584 bytes, expected 4096");
    }

    @Test
    void neighbouringBlocksAndGenerationsHaveDifferentBodies() {
        ByteBuf other = Unpooled.buffer(512);
        try {
            VerifyPattern.fill(buf, 10, 1, 512);
            VerifyPattern.fill(other, 10, 2, 512);
            assertThat(buf.slice(16, 496).equals(other.slice(16, 496))).isFalse();
            other.clear();
            VerifyPattern.fill(other, 11, 1, 512);
            assertThat(buf.slice(16, 496).equals(other.slice(16, 496))).isFalse();
        } finally {
            other.release();
        }
    }
}
