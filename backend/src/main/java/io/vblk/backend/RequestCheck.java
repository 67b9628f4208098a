package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;

/**
 * The virtio-blk rules a request must meet before it may touch the store; a broken rule is the status the
 * spec prescribes, never an exception: UNSUPP for a type (or an un-negotiated feature) the device does not
 * do, IOERR for a range past capacity, a length off the sector unit, or a write to a read-only device. A
 * DISCARD or WRITE_ZEROES with more segments than advertised is UNSUPP, a segment over the advertised
 * sectors IOERR (as QEMU answers them).
 */
final class RequestCheck {
    private RequestCheck() {}

    static int status(BlkRequest r, Device d, long features) {
        BlkConfig c = d.blkConfig();
        long capacity = c.capacity();
        long maxTransfer = c.maxTransfer();
        boolean readOnly = d.config().readOnly();
        return switch (r.type()) {
            case VirtioBlk.T_IN -> range(r.sector(), r.length(), capacity, maxTransfer);
            case VirtioBlk.T_OUT -> readOnly ? VirtioBlk.S_IOERR : range(r.sector(), r.length(), capacity, maxTransfer);
            case VirtioBlk.T_FLUSH -> VirtioBlk.has(features, VirtioBlk.F_FLUSH) ? VirtioBlk.S_OK : VirtioBlk.S_UNSUPP;
            case VirtioBlk.T_GET_ID -> r.length() > 0 ? VirtioBlk.S_OK : VirtioBlk.S_IOERR;
            case VirtioBlk.T_DISCARD -> segments(r, features, VirtioBlk.F_DISCARD, readOnly, capacity, true,
                    c.maxDiscardSeg(), c.maxDiscardSectors());
            case VirtioBlk.T_WRITE_ZEROES -> segments(r, features, VirtioBlk.F_WRITE_ZEROES, readOnly, capacity, false,
                    c.maxWriteZeroesSeg(), c.maxWriteZeroesSectors());
            default -> VirtioBlk.S_UNSUPP;
        };
    }

    private static int range(long sector, long length, long capacity, long maxTransfer) {
        if (length <= 0 || length % VirtioBlk.SECTOR_SIZE != 0 || length > maxTransfer || sector < 0) {
            return VirtioBlk.S_IOERR;
        }
        long sectors = length >> VirtioBlk.SECTOR_SHIFT;
        return sector <= capacity - sectors ? VirtioBlk.S_OK : VirtioBlk.S_IOERR;
    }

    private static int segments(BlkRequest r, long features, int feature, boolean readOnly, long capacity,
                                boolean discard, int maxSegments, long maxSectors) {
        if (!VirtioBlk.has(features, feature)) {
            return VirtioBlk.S_UNSUPP;
        }
        ByteBuf segs = r.data();
        if (readOnly || segs.readableBytes() == 0 || segs.readableBytes() % VirtioBlk.SEGMENT_BYTES != 0) {
            return VirtioBlk.S_IOERR;
        }
        if (segs.readableBytes() / VirtioBlk.SEGMENT_BYTES > maxSegments) {
            return VirtioBlk.S_UNSUPP;
        }
        for (int at = segs.readerIndex(); at < segs.writerIndex(); at += VirtioBlk.SEGMENT_BYTES) {
            long sector = segs.getLongLE(at);
            long sectors = segs.getUnsignedIntLE(at + 8);
            int flags = segs.getIntLE(at + 12);
            // the only flag is UNMAP (bit 0), defined for WRITE_ZEROES; DISCARD must leave flags at zero
            if (discard ? flags != 0 : (flags & ~1) != 0) {
                return VirtioBlk.S_UNSUPP;
            }
            if (sectors == 0 || sectors > maxSectors || sector < 0 || sector > capacity - sectors) {
                return VirtioBlk.S_IOERR;
            }
        }
        return VirtioBlk.S_OK;
    }
}
