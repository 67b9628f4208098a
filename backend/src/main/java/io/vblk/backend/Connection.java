package io.vblk.backend;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;

/**
 * One client connection as its door's handlers share it, handed to each when it is built (no handler looks
 * another up): its read gate and memory budget, and its deadlines. Event loop confined, except
 * {@link #stopReading} and the budget's releases.
 */
public final class Connection {
    /** How a door words a refusal (a guard's or a protocol violation) in its own protocol, then closes. */
    @FunctionalInterface
    public interface RefusalForm {
        void refuse(ChannelHandlerContext ctx, ErrorCode code, String message);
    }

    /** The virtio door's refusal: an ERROR frame, then close. */
    static final RefusalForm ERROR_FRAME = (ctx, code, message) ->
            ctx.channel().writeAndFlush(new ErrorFrame(code, message)).addListener(ChannelFutureListener.CLOSE);

    final ReadGate gate;
    final IdleGuard deadlines;

    Connection(ReadGate gate, IdleGuard deadlines) {
        this.gate = gate;
        this.deadlines = deadlines;
    }

    /** What this connection's held requests pin, against {@code limits.max-connection-memory}. */
    public MemoryBudget budget() {
        return gate.budget();
    }

    /** Reads nothing more from the connection, for good (the client said it is done, or the backend closes). */
    public void stopReading() {
        gate.stop();
    }

    /** The handshake is done (or the client showed it is real): the handshake deadline is off. */
    public void settle() {
        deadlines.settle();
    }

    /** True once the connection was refused: nothing more is written to it but the refusal. */
    public boolean refused() {
        return gate.refused();
    }
}
