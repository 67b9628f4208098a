package io.vblk.vhost;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;

/**
 * A popped chain read as a virtio-blk request, as QEMU's {@code virtio_blk_handle_request} reads it: the
 * device-readable buffers start with the 16-byte header (type u32, ioprio u32, sector u64, little-endian)
 * and carry the data of OUT, DISCARD and WRITE_ZEROES after it; the device-writable buffers carry the data
 * of IN and GET_ID and end with the 1-byte status. Buffer boundaries do not matter: a header or status may
 * be split across descriptors. A chain too short for a header or a status is a {@link SplitQueue.Fault}.
 */
public final class BlkChain {
    private final long statusAddr;
    private final int inBytes;

    private BlkChain(long statusAddr, int inBytes) {
        this.statusAddr = statusAddr;
        this.inBytes = inBytes;
    }

    /** Where the status byte goes. */
    public long statusAddr() {
        return statusAddr;
    }

    /** Device-writable bytes before the status: what an IN may fill. */
    public int inBytes() {
        return inBytes;
    }

    /**
     * Reads the header and copies the request's readable data out of guest memory (the guest may change its
     * buffers while the request is in service; a copy cannot). The returned request owns that copy.
     */
    /** @param request receives the request at index 0 (one out-parameter, so parsing allocates one object less) */
    public static BlkChain parse(SplitQueue.Chain c, GuestMemory m, int queue, ByteBufAllocator alloc,
                                 BlkRequest[] request) {
        long readable = 0;
        long writable = 0;
        for (int k = 0; k < c.count(); k++) {
            if (c.writable(k)) {
                writable += c.len(k);
            } else {
                readable += c.len(k);
            }
        }
        if (readable < 16) {
            throw new SplitQueue.Fault("chain " + c.head() + " has " + readable + " device-readable bytes, too few for "
                    + "a virtio-blk header of 16");
        }
        if (writable < 1) {
            throw new SplitQueue.Fault("chain " + c.head() + " has no device-writable byte for the status");
        }
        if (readable - 16 > Integer.MAX_VALUE || writable - 1 > Integer.MAX_VALUE) {
            throw new SplitQueue.Fault("chain " + c.head() + " carries more than 2 GiB");
        }
        ByteBuf header = alloc.heapBuffer(16);
        try {
            copyReadable(c, m, 0, 16, header);
            int type = header.getIntLE(0);
            int ioprio = header.getIntLE(4);
            long sector = header.getLongLE(8);
            int dataIn = (int) (writable - 1);
            int dataOut = VirtioBlk.carriesData(type) ? (int) (readable - 16) : 0;
            ByteBuf data = dataOut == 0 ? Unpooled.EMPTY_BUFFER : alloc.directBuffer(dataOut);
            boolean owned = false;
            try {
                copyReadable(c, m, 16, dataOut, data);
                int length = VirtioBlk.carriesData(type) ? dataOut : dataIn;
                request[0] = new BlkRequest(queue, c.head(), type, ioprio, sector, length, data);
                owned = true;
            } finally {
                if (!owned) {
                    data.release();
                }
            }
            return new BlkChain(lastWritableByte(c), dataIn);
        } finally {
            header.release();
        }
    }

    /**
     * Writes {@code len} bytes of {@code src} (from its reader index) into the chain's writable buffers, from
     * their start; the status byte is not among them. {@code len} is at most {@link #inBytes}.
     */
    public static void fill(SplitQueue.Chain c, GuestMemory m, ByteBuf src, int len) {
        int from = src.readerIndex();
        for (int k = 0; k < c.count() && len > 0; k++) {
            if (c.writable(k)) {
                int n = Math.min(len, c.len(k));
                m.write(c.addr(k), src, from, n);
                from += n;
                len -= n;
            }
        }
    }

    private static void copyReadable(SplitQueue.Chain c, GuestMemory m, long skip, int len, ByteBuf dst) {
        for (int k = 0; k < c.count() && len > 0; k++) {
            if (c.writable(k)) {
                continue;
            }
            long l = c.len(k);
            if (skip >= l) {
                skip -= l;
                continue;
            }
            int n = (int) Math.min(len, l - skip);
            m.read(c.addr(k) + skip, n, dst);
            skip = 0;
            len -= n;
        }
    }

    private static long lastWritableByte(SplitQueue.Chain c) {
        for (int k = c.count() - 1; k >= 0; k--) {
            if (c.writable(k) && c.len(k) > 0) {
                return c.addr(k) + c.len(k) - 1;
            }
        }
        throw new IllegalStateException("checked above: a writable byte exists");
    }
}
