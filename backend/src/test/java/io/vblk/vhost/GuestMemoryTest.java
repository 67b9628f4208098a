package io.vblk.vhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two regions with a hole between them, split into 4 KiB chunks so that accesses cross chunk boundaries. */
class GuestMemoryTest {
    private static final int CHUNK = 4096;
    private final ByteBuffer low = ByteBuffer.allocateDirect(4 * CHUNK);
    private final ByteBuffer high = ByteBuffer.allocateDirect(2 * CHUNK);
    // guest-physical 0..16 KiB seen by the front-end at 0x7000_0000; 1 MiB..+8 KiB at 0x7100_0000
    private final GuestMemory m = new GuestMemory(List.of(
            new GuestMemory.Region(0, 4 * CHUNK, 0x7000_0000L, CHUNK, GuestMemory.chunks(low, CHUNK)),
            new GuestMemory.Region(1 << 20, 2 * CHUNK, 0x7100_0000L, CHUNK, GuestMemory.chunks(high, CHUNK))));

    /** A shared file stands for the front-end's memfd: what the back-end writes through its mapping is in the file. */
    @Test
    void regionsOfAMemoryTableAreMappedThroughTheirFds(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path shared = dir.resolve("guest-ram");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(shared.toFile(), "rw")) {
            f.setLength(64 * 1024);
            int fd = org.newsclub.net.unix.FileDescriptorCast.using(f.getFD()).as(Integer.class);
            // two regions of one file at different offsets, as QEMU sends its memfd
            GuestMemory mapped = GuestMemory.map(List.of(
                    new Message.MemoryRegion(0, 0xa000, 0x7000_0000L, 0),
                    new Message.MemoryRegion(0xc000, 0x4000, 0x7000_c000L, 0xc000)), new int[] {fd, fd});
            mapped.putInt(0xc000 + 16, 0xcafe_f00dL);
            assertThat(mapped.getInt(0xc000 + 16)).isEqualTo(0xcafe_f00dL);
            f.seek(0xc000 + 16);
            assertThat(Integer.reverseBytes(f.readInt())).isEqualTo(0xcafe_f00d);
            assertThatThrownBy(() -> GuestMemory.map(List.of(new Message.MemoryRegion(0, 0x20000, 0, 0)), new int[] {fd}))
                    .isInstanceOf(GuestMemory.Fault.class).hasMessageContaining("of an fd of 65536");
        }
    }

    @Test
    void aRangeAcrossChunksIsWrittenAndReadBackWhole() {
        ByteBuf src = Unpooled.buffer(6000);
        for (int i = 0; i < 6000; i++) {
            src.writeByte(i * 7);
        }
        ByteBuf back = Unpooled.buffer(6000);
        try {
            m.write(1000, src, 0, 6000);
            m.read(1000, 6000, back);
            assertThat(back).isEqualTo(src);
            assertThat(low.get(1000 + 5000)).isEqualTo((byte) (5000 * 7));
        } finally {
            src.release();
            back.release();
        }
    }

    @Test
    void fieldsAreLittleEndianAndUnsigned() {
        m.putShort((1 << 20) + 2, 0xfffe);
        m.putInt((1 << 20) + 4, 0xfedc_ba98L);
        assertThat(m.getShort((1 << 20) + 2)).isEqualTo(0xfffe);
        assertThat(m.getInt((1 << 20) + 4)).isEqualTo(0xfedc_ba98L);
        assertThat(high.get(2)).isEqualTo((byte) 0xfe);
    }

    @Test
    void frontEndAddressesTranslateWithinTheirRegion() {
        assertThat(m.guestAddress(0x7100_0010L, 16)).isEqualTo((1 << 20) + 16);
        assertThatThrownBy(() -> m.guestAddress(0x7000_0000L + 4 * CHUNK - 8, 16)).isInstanceOf(GuestMemory.Fault.class);
    }

    @Test
    void theHoleRangesPastARegionAndMisplacedFieldsAreFaults() {
        assertThat(m.holds(4 * CHUNK - 16, 16)).isTrue();
        assertThat(m.holds(4 * CHUNK - 16, 17)).as("runs into the hole").isFalse();
        assertThat(m.holds(-16, 32)).as("wraps").isFalse();
        assertThatThrownBy(() -> m.getLong(5 * CHUNK)).isInstanceOf(GuestMemory.Fault.class)
                .hasMessageContaining("outside every memory region");
        assertThatThrownBy(() -> m.getInt(CHUNK - 2)).isInstanceOf(GuestMemory.Fault.class)
                .hasMessageContaining("crosses a mapping boundary");
        ByteBuf dst = Unpooled.buffer(32);
        try {
            assertThatThrownBy(() -> m.read((1 << 20) + 2 * CHUNK - 8, 16, dst)).isInstanceOf(GuestMemory.Fault.class);
            assertThat(dst.readableBytes()).as("nothing copied before the check").isZero();
        } finally {
            dst.release();
        }
    }
}
