package io.vblk.vhost;

import io.vblk.protocol.BlkConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A device's {@code struct virtio_blk_config} (VIRTIO 1.2, 5.2.4), as GET_CONFIG returns it, little-endian:
 *
 * <pre>
 *  0 capacity u64        8 size_max u32       12 seg_max u32       16 geometry (c u16, h u8, s u8)
 * 20 blk_size u32       24 topology (8 bytes) 32 writeback u8      33 unused u8     34 num_queues u16
 * 36 max_discard_sectors u32   40 max_discard_seg u32   44 discard_sector_alignment u32
 * 48 max_write_zeroes_sectors u32   52 max_write_zeroes_seg u32   56 write_zeroes_may_unmap u8, 3 unused
 * </pre>
 */
public final class ConfigSpace {
    private ConfigSpace() {}

    public static final int BYTES = 60;

    public static byte[] of(BlkConfig c) {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, c.capacity()).putInt(8, c.sizeMax()).putInt(12, c.segMax()).putInt(20, c.blkSize())
                .putShort(34, (short) c.numQueues()).putInt(36, c.maxDiscardSectors()).putInt(40, c.maxDiscardSeg())
                .putInt(44, 1).putInt(48, c.maxWriteZeroesSectors()).putInt(52, c.maxWriteZeroesSeg());
        return b.array();
    }
}
