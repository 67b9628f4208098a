package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vblk.backend.AttachedQueue;
import io.vblk.backend.Exports;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.protocol.nbd.Nbd;
import java.util.ArrayDeque;

/**
 * The NBD adapter of an attached connection. Inbound, each {@link NbdRequest} becomes a virtio
 * {@link BlkRequest} on a free descriptor of the connection's one virtqueue (so it takes the same path as
 * a virtio request: checks, sync/aio service, scheduler, disk, store, log, counters); commands beyond the
 * queue's descriptors wait here in arrival order, their data counted against the connection's memory limit.
 * Outbound, the {@link Completion} the virtqueue writes becomes the NBD reply for the remembered cookie.
 * A FUA write is followed by a FLUSH on the same descriptor before it is answered. Event loop only.
 */
public final class NbdTransmission extends ChannelDuplexHandler {
    // what a waiting command costs besides its data (the record, its header, the deque slot), so that a flood
    // of commands without data is bounded by max-connection-memory too
    private static final int WAITING_OVERHEAD = 128;
    private final AttachedQueue queue;
    private final Exports.Export export;
    private final boolean structured;
    // per descriptor id: the request it carries, or null while free
    private final Slot[] slots;
    private final int[] free;
    private int freeCount;
    private final ArrayDeque<NbdRequest> waiting = new ArrayDeque<>();
    private boolean disconnecting;

    /**
     * An NBD command on a descriptor: what its reply needs. {@code ioError} and {@code ioMessage} are what an
     * IOERR status means for it, decided before submission (past the end, read-only, or a real I/O error).
     */
    private record Slot(long cookie, int command, long offset, boolean flushAfter, int ioError, String ioMessage) {
        Slot flushing() {
            return new Slot(cookie, command, offset, false, Nbd.EIO, "flush after a FUA write failed");
        }
    }

    /** An NBD error decided without the request path. */
    private record Refusal(int error, String message) {}

    NbdTransmission(AttachedQueue queue, Exports.Export export, boolean structured) {
        this.queue = queue;
        this.export = export;
        this.structured = structured;
        this.slots = new Slot[queue.size()];
        this.free = new int[slots.length];
        for (int i = 0; i < free.length; i++) {
            free[i] = free.length - 1 - i;
        }
        this.freeCount = free.length;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof NbdRequest r)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (disconnecting) {
            // proto.md: the client sends nothing after DISC
            r.release();
        } else if (r.type() == Nbd.CMD_DISC) {
            r.release();
            disconnecting = true;
            queue.stopReading();
            closeIfDone(ctx);
        } else {
            Refusal refusal = check(r);
            if (refusal != null) {
                r.release();
                ctx.writeAndFlush(error(r.cookie(), refusal.error(), refusal.message()));
            } else if (freeCount == 0) {
                queue.hold(WAITING_OVERHEAD + r.data().readableBytes());
                waiting.addLast(r);
            } else {
                submit(ctx, r, free[--freeCount]);
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Completion c)) {
            ctx.write(msg, promise);
            return;
        }
        int id = c.descriptor();
        Slot s = slots[id];
        if (s.flushAfter() && c.status() == VirtioBlk.S_OK) {
            // FUA: the write is stored; it is answered once a FLUSH through the same request path made it durable
            c.release();
            slots[id] = s.flushing();
            queue.submit(BlkRequest.of(0, id, VirtioBlk.T_FLUSH, 0, 0));
            promise.trySuccess();
            return;
        }
        slots[id] = null;
        free[freeCount++] = id;
        ctx.write(reply(s, c), promise);
        // invariant: once a completion is handled, either no descriptor is free or no command waits
        while (freeCount > 0 && !waiting.isEmpty()) {
            NbdRequest next = waiting.pollFirst();
            queue.unhold(WAITING_OVERHEAD + next.data().readableBytes());
            submit(ctx, next, free[--freeCount]);
        }
        closeIfDone(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        queue.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        queue.close();
        NbdRequest r;
        while ((r = waiting.pollFirst()) != null) {
            queue.unhold(WAITING_OVERHEAD + r.data().readableBytes());
            r.release();
        }
        super.channelInactive(ctx);
    }

    /** proto.md's errors for what the request path need not see: unknown commands and flags, misaligned or oversized. */
    private Refusal check(NbdRequest r) {
        int t = r.type();
        if (t != Nbd.CMD_READ && t != Nbd.CMD_WRITE && t != Nbd.CMD_FLUSH && t != Nbd.CMD_TRIM
                && t != Nbd.CMD_WRITE_ZEROES) {
            return new Refusal(Nbd.EINVAL, "command " + Nbd.commandName(t) + " is not supported");
        }
        int allowed = Nbd.CMD_FLAG_FUA | (t == Nbd.CMD_WRITE_ZEROES ? Nbd.CMD_FLAG_NO_HOLE : 0);
        if ((r.flags() & ~allowed) != 0) {
            return new Refusal(Nbd.EINVAL, "flags 0x" + Integer.toHexString(r.flags()) + " are not valid for "
                    + Nbd.commandName(t));
        }
        if (t == Nbd.CMD_FLUSH) {
            return null;
        }
        if (r.offset() % NbdHandshake.MIN_BLOCK != 0 || r.length() % NbdHandshake.MIN_BLOCK != 0 || r.length() == 0) {
            return new Refusal(Nbd.EINVAL, "offset and length must be non-zero multiples of "
                    + NbdHandshake.MIN_BLOCK + " (the minimum block size)");
        }
        if ((t == Nbd.CMD_READ || t == Nbd.CMD_WRITE) && r.length() > export.maxTransfer()) {
            return new Refusal(t == Nbd.CMD_READ ? Nbd.EOVERFLOW : Nbd.EINVAL, "length " + r.length()
                    + " is over the maximum block size of " + export.maxTransfer());
        }
        long most = t == Nbd.CMD_TRIM ? export.maxTrim() : t == Nbd.CMD_WRITE_ZEROES ? export.maxZeroes() : Long.MAX_VALUE;
        if (r.length() > most) {
            return new Refusal(Nbd.EINVAL, Nbd.commandName(t) + " of " + r.length() + " bytes is over the device's "
                    + (t == Nbd.CMD_TRIM ? "max-discard-sectors" : "max-write-zeroes-sectors") + " (" + most
                    + " bytes): send it in parts");
        }
        return null;
    }

    private void submit(ChannelHandlerContext ctx, NbdRequest r, int id) {
        int t = r.type();
        long sector = r.offset() >>> VirtioBlk.SECTOR_SHIFT;
        boolean writes = t == Nbd.CMD_WRITE || t == Nbd.CMD_TRIM || t == Nbd.CMD_WRITE_ZEROES;
        slots[id] = new Slot(r.cookie(), t, r.offset(), writes && r.has(Nbd.CMD_FLAG_FUA),
                ioError(r, writes), ioMessage(r, writes));
        // the virtio request takes a reference of its own to a WRITE's data; the NBD request's is released below
        BlkRequest req = switch (t) {
            case Nbd.CMD_READ -> BlkRequest.read(0, id, sector, (int) r.length());
            case Nbd.CMD_WRITE -> BlkRequest.write(0, id, sector, r.data().retain());
            case Nbd.CMD_FLUSH -> BlkRequest.of(0, id, VirtioBlk.T_FLUSH, 0, 0);
            case Nbd.CMD_TRIM -> segment(ctx, id, VirtioBlk.T_DISCARD, sector, r.length(), 0);
            default -> segment(ctx, id, VirtioBlk.T_WRITE_ZEROES, sector, r.length(),
                    r.has(Nbd.CMD_FLAG_NO_HOLE) ? 0 : 1);
        };
        r.release();
        queue.submit(req);
    }

    /** TRIM and WRITE_ZEROES travel as virtio's one-segment payload: sector, sectors, flags (UNMAP = 1). */
    private static BlkRequest segment(ChannelHandlerContext ctx, int id, int type, long sector, long length, int flags) {
        ByteBuf seg = ctx.alloc().buffer(VirtioBlk.SEGMENT_BYTES).writeLongLE(sector)
                .writeIntLE((int) (length >>> VirtioBlk.SECTOR_SHIFT)).writeIntLE(flags);
        return new BlkRequest(0, id, type, 0, sector, VirtioBlk.SEGMENT_BYTES, seg);
    }

    private boolean pastTheEnd(NbdRequest r) {
        return Long.compareUnsigned(r.offset(), export.size()) > 0 || r.length() > export.size() - r.offset();
    }

    // proto.md: EPERM for writes to a read-only export, ENOSPC for writes past the end, EINVAL for reads and trims
    private int ioError(NbdRequest r, boolean writes) {
        if (writes && export.readOnly()) {
            return Nbd.EPERM;
        }
        if (r.type() != Nbd.CMD_FLUSH && pastTheEnd(r)) {
            return r.type() == Nbd.CMD_WRITE || r.type() == Nbd.CMD_WRITE_ZEROES ? Nbd.ENOSPC : Nbd.EINVAL;
        }
        return Nbd.EIO;
    }

    private String ioMessage(NbdRequest r, boolean writes) {
        if (writes && export.readOnly()) {
            return "export " + export.name() + " is read-only";
        }
        if (r.type() != Nbd.CMD_FLUSH && pastTheEnd(r)) {
            return Nbd.commandName(r.type()) + " reaches past the end of the export (" + export.size() + " bytes)";
        }
        return "I/O error";
    }

    private NbdReply reply(Slot s, Completion c) {
        boolean read = s.command() == Nbd.CMD_READ;
        if (c.status() == VirtioBlk.S_OK) {
            if (read) {
                return structured ? new NbdReply.DataChunk(s.cookie(), s.offset(), c.data())
                        : new NbdReply.SimpleReply(s.cookie(), 0, c.data());
            }
            c.release();
            return new NbdReply.SimpleReply(s.cookie(), 0, Unpooled.EMPTY_BUFFER);
        }
        c.release();
        if (c.status() == AttachedQueue.S_NO_SPACE) {
            return error(s.cookie(), Nbd.ENOSPC, "no space left on the filesystem of the device's image");
        }
        return c.status() == VirtioBlk.S_UNSUPP
                ? error(s.cookie(), Nbd.ENOTSUP, Nbd.commandName(s.command()) + " is not supported by the device")
                : error(s.cookie(), s.ioError(), s.ioMessage());
    }

    // structured replies carry the message; simple ones only the number
    private NbdReply error(long cookie, int error, String message) {
        return structured ? new NbdReply.ErrorChunk(cookie, error, message)
                : new NbdReply.SimpleReply(cookie, error, Unpooled.EMPTY_BUFFER);
    }

    // after DISC: once every command is answered, the replies are flushed and the connection closed
    private void closeIfDone(ChannelHandlerContext ctx) {
        if (disconnecting && freeCount == slots.length && waiting.isEmpty()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
