package io.vblk.vhost;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;

/**
 * One popped chain read as a virtio-blk request, as QEMU's {@code virtio_blk_handle_request} reads it: the
 * device-readable buffers start with the 16-byte header and carry the data of OUT, DISCARD and WRITE_ZEROES
 * after it; the device-writable buffers carry the data of IN and GET_ID and end with the 1-byte status.
 * Buffer boundaries do not matter: a header or status may be split across descriptors. A chain too short for
 * a header or a status is a {@link SplitQueue.Fault}. A ring keeps one per descriptor head and reuses it, so
 * that popping allocates nothing but the request.
 *
 * <pre>
 * header (16 bytes, little-endian): type u32 | ioprio u32 | sector u64
 * </pre>
 */
public final class BlkChain {
    static final int HEADER_BYTES = 16;

    private SplitQueue.Chain chain = new SplitQueue.Chain();
    private long statusAddr;
    private int inBytes;
    // the guest's own buffer a READ is read into, or null
    private ByteBuf view;

    /** Takes {@code popped} as this slot's chain and returns the one it held, for the next pop. */
    SplitQueue.Chain take(SplitQueue.Chain popped) {
        SplitQueue.Chain old = chain;
        chain = popped;
        return old;
    }

    SplitQueue.Chain chain() {
        return chain;
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
     * buffers while the request is in service; a copy cannot). Data over {@code maxCopy} bytes is not copied:
     * the request then carries its length and no data, and the request check answers it with the status
     * the spec prescribes. The returned request owns its copy.
     */
    public BlkRequest parse(GuestMemory m, int queue, ByteBufAllocator alloc, long maxCopy) {
        SplitQueue.Chain c = chain;
        long readable = 0;
        long writable = 0;
        for (int k = 0; k < c.count(); k++) {
            if (c.writable(k)) {
                writable += c.len(k);
            } else {
                readable += c.len(k);
            }
        }
        if (readable < HEADER_BYTES) {
            throw new SplitQueue.Fault("chain " + c.head() + " has " + readable + " device-readable bytes, too few for "
                    + "a virtio-blk header of 16");
        }
        if (writable < 1) {
            throw new SplitQueue.Fault("chain " + c.head() + " has no device-writable byte for the status");
        }
        if (readable - HEADER_BYTES > Integer.MAX_VALUE || writable - 1 > Integer.MAX_VALUE) {
            throw new SplitQueue.Fault("chain " + c.head() + " carries more than 2 GiB");
        }
        int type;
        int ioprio;
        long sector;
        // a Linux driver puts the header alone in the first descriptor: read it in place
        if (!c.writable(0) && c.len(0) >= HEADER_BYTES) {
            type = (int) m.getInt(c.addr(0));
            ioprio = (int) m.getInt(c.addr(0) + 4);
            sector = m.getLong(c.addr(0) + 8);
        } else {
            ByteBuf header = alloc.heapBuffer(HEADER_BYTES);
            try {
                copyReadable(m, 0, HEADER_BYTES, header);
                type = header.getIntLE(0);
                ioprio = header.getIntLE(4);
                sector = header.getLongLE(8);
            } finally {
                header.release();
            }
        }
        int dataIn = (int) (writable - 1);
        int dataOut = VirtioBlk.carriesData(type) ? (int) (readable - HEADER_BYTES) : 0;
        statusAddr = lastWritableByte(c);
        inBytes = dataIn;
        view = type == VirtioBlk.T_IN && dataIn > 0 && dataIn <= maxCopy ? guestView(m, c, dataIn) : null;
        if (view != null) {
            // the store reads straight into the guest's buffer: nothing to copy at the answer
            return new BlkRequest(queue, c.head(), type, ioprio, sector, dataIn, view);
        }
        ByteBuf data = dataOut == 0 || dataOut > maxCopy ? Unpooled.EMPTY_BUFFER : alloc.directBuffer(dataOut);
        try {
            copyReadable(m, HEADER_BYTES, data.writableBytes(), data);
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
        return new BlkRequest(queue, c.head(), type, ioprio, sector, VirtioBlk.carriesData(type) ? dataOut : dataIn, data);
    }

    /**
     * An empty buffer over the chain's one writable data buffer, when the data lies in one descriptor and one
     * mapping (a Linux driver's 4 KiB read does): the store fills it in place. Null otherwise (then the data
     * is copied in at the answer). The mapping lives as long as the buffer does.
     */
    private ByteBuf guestView(GuestMemory m, SplitQueue.Chain c, int dataIn) {
        int first = -1;
        for (int k = 0; k < c.count(); k++) {
            if (c.writable(k)) {
                first = k;
                break;
            }
        }
        if (first < 0 || c.len(first) != dataIn + 1 && c.len(first) != dataIn) {
            return null;
        }
        java.nio.ByteBuffer slice = m.slice(c.addr(first), dataIn);
        return slice == null ? null : Unpooled.wrappedBuffer(slice).clear();
    }

    /** The buffer the store reads into in place, or null when the answer copies the data in. */
    ByteBuf view() {
        return view;
    }

    /**
     * Writes {@code len} bytes of {@code src} (from its reader index) into the chain's writable buffers, from
     * their start; the status byte is not among them. {@code len} is at most {@link #inBytes}.
     */
    public void fill(GuestMemory m, ByteBuf src, int len) {
        SplitQueue.Chain c = chain;
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

    private void copyReadable(GuestMemory m, long skip, int len, ByteBuf dst) {
        SplitQueue.Chain c = chain;
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
