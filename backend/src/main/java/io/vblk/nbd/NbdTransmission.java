package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.vblk.backend.AttachedQueue;
import io.vblk.backend.CompletionSink;
import io.vblk.backend.Connection;
import io.vblk.backend.Exports;
import io.vblk.backend.MemoryBudget;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;
import io.vblk.protocol.nbd.Nbd;
import java.util.ArrayDeque;

/**
 * The NBD door of an attached connection, and its {@link CompletionSink}. Each {@link NbdRequest} becomes
 * a virtio {@link BlkRequest} on a free descriptor of the connection's one device queue (so it takes the
 * same path as a virtio request: checks, service policy, scheduler, disk, store, log, counters); commands
 * beyond the queue's descriptors wait here in arrival order, what they pin counted against the connection's
 * memory budget. Each answer becomes the NBD reply for the remembered cookie; a FUA write's answer is
 * first followed by a FLUSH on the same descriptor, submitted from here, and the reply waits for that.
 * Inbound only: replies go out through the encoder. Event loop only.
 */
public final class NbdTransmission extends ChannelInboundHandlerAdapter implements CompletionSink {
    // what a waiting command costs besides its data (the record, its header, the deque slot), so that a flood
    // of commands without data is bounded by max-connection-memory too
    private static final int WAITING_OVERHEAD = 128;
    private final Exports exports;
    private final Exports.Export export;
    private final boolean structured;
    private final Connection connection;
    // set when the handler is added, before the first request
    private ChannelHandlerContext ctx;
    private AttachedQueue queue;
    // per descriptor id: the request it carries, or null while free
    private final Slot[] slots;
    private final int[] free;
    private int freeCount;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean disconnecting;

    /** A command waiting for a descriptor, and what its data pins in the budget meanwhile. */
    private record Waiting(NbdRequest request, MemoryBudget.Pin pin) {}

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

    NbdTransmission(Exports exports, Exports.Export export, boolean structured, Connection connection) {
        this.exports = exports;
        this.export = export;
        this.structured = structured;
        this.connection = connection;
        this.slots = new Slot[exports.queueSize(export.name())];
        this.free = new int[slots.length];
        for (int i = 0; i < free.length; i++) {
            free[i] = free.length - 1 - i;
        }
        this.freeCount = free.length;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.queue = exports.attach(export.name(), this, connection.budget());
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
            connection.stopReading();
            closeIfDone();
        } else {
            Refusal refusal = check(r);
            if (refusal != null) {
                r.release();
                ctx.writeAndFlush(error(r.cookie(), refusal.error(), refusal.message()));
            } else if (freeCount == 0) {
                connection.budget().hold(WAITING_OVERHEAD);
                waiting.addLast(new Waiting(r, connection.budget().pin(r.data())));
            } else {
                submit(r, free[--freeCount]);
            }
        }
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public boolean accepting() {
        return ctx.channel().isWritable();
    }

    @Override
    public void answer(int queueIndex, int id, int status, int used, ByteBuf data) {
        if (!ctx.channel().isActive() || connection.refused()) {
            // the connection is going: channelInactive drops what waits
            data.release();
            return;
        }
        Slot s = slots[id];
        if (s.flushAfter() && status == VirtioBlk.S_OK) {
            // FUA: the write is stored; it is answered once a FLUSH through the same request path made it durable
            data.release();
            slots[id] = s.flushing();
            queue.submit(BlkRequest.of(0, id, VirtioBlk.T_FLUSH, 0, 0));
            return;
        }
        slots[id] = null;
        free[freeCount++] = id;
        ctx.writeAndFlush(reply(s, status, data), ctx.voidPromise());
        // invariant: once an answer is handled, either no descriptor is free or no command waits
        while (freeCount > 0 && !waiting.isEmpty()) {
            Waiting next = waiting.pollFirst();
            submit(next.request(), free[--freeCount]);
            unhold(next);
        }
        closeIfDone();
    }

    // after the command's own request holds its data: the budget never drops what is still pinned
    private void unhold(Waiting w) {
        connection.budget().unhold(WAITING_OVERHEAD);
        if (w.pin() != null) {
            w.pin().release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        queue.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        queue.close();
        Waiting w;
        while ((w = waiting.pollFirst()) != null) {
            w.request().release();
            unhold(w);
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

    private void submit(NbdRequest r, int id) {
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
            case Nbd.CMD_TRIM -> segment(id, VirtioBlk.T_DISCARD, sector, r.length(), 0);
            default -> segment(id, VirtioBlk.T_WRITE_ZEROES, sector, r.length(),
                    r.has(Nbd.CMD_FLAG_NO_HOLE) ? 0 : 1);
        };
        r.release();
        queue.submit(req);
    }

    /** TRIM and WRITE_ZEROES travel as virtio's one-segment payload: sector, sectors, flags (UNMAP = 1). */
    private BlkRequest segment(int id, int type, long sector, long length, int flags) {
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

    // takes over the reference to data: a READ's reply carries it, every other reply releases it
    private NbdReply reply(Slot s, int status, ByteBuf data) {
        boolean read = s.command() == Nbd.CMD_READ;
        if (status == VirtioBlk.S_OK) {
            if (read) {
                return structured ? new NbdReply.DataChunk(s.cookie(), s.offset(), data)
                        : new NbdReply.SimpleReply(s.cookie(), 0, data);
            }
            data.release();
            return new NbdReply.SimpleReply(s.cookie(), 0, Unpooled.EMPTY_BUFFER);
        }
        data.release();
        if (status == CompletionSink.S_NO_SPACE) {
            return error(s.cookie(), Nbd.ENOSPC, "no space left on the filesystem of the device's image");
        }
        return status == VirtioBlk.S_UNSUPP
                ? error(s.cookie(), Nbd.ENOTSUP, Nbd.commandName(s.command()) + " is not supported by the device")
                : error(s.cookie(), s.ioError(), s.ioMessage());
    }

    // structured replies carry the message; simple ones only the number
    private NbdReply error(long cookie, int error, String message) {
        return structured ? new NbdReply.ErrorChunk(cookie, error, message)
                : new NbdReply.SimpleReply(cookie, error, Unpooled.EMPTY_BUFFER);
    }

    // after DISC: once every command is answered, the replies are flushed and the connection closed
    private void closeIfDone() {
        if (disconnecting && freeCount == slots.length && waiting.isEmpty()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
