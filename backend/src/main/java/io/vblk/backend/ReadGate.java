package io.vblk.backend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;

/**
 * Decides whether the backend reads from one connection. It stops reading while the connection's replies
 * are backed up past the write buffer's high water mark (the client is not reading them), or while what its
 * held requests pin exceeds {@code limits.max-connection-memory} (its {@link #budget}); it resumes when both
 * have drained. Once {@link #stop} has been called it never resumes: the connection is closing. Once
 * {@link #refuse}d, what the client sent after the offending frame is dropped unread.
 */
final class ReadGate extends ChannelInboundHandlerAdapter {
    /** The gate of a connection, for the backend's own walk over its connections (close, figures). */
    static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf(ReadGate.class, "gate");

    private final Channel channel;
    private final MemoryBudget budget;
    private volatile boolean stopped;
    // the event loop's
    private boolean refused;

    ReadGate(Channel channel, long maxHeld) {
        this.channel = channel;
        this.budget = new MemoryBudget(maxHeld, this::budgetCrossed);
        channel.attr(KEY).set(this);
    }

    MemoryBudget budget() {
        return budget;
    }

    /** Stops reading for good (a refusal, the client's disconnect, or the backend closing); any thread. */
    void stop() {
        stopped = true;
        channel.config().setAutoRead(false);
    }

    /**
     * On the event loop: marks the connection refused; its refusal is (to be) the last thing it gets, so
     * frames already decoded are dropped and replies are not written. Returns false if it was refused already.
     */
    boolean refuse() {
        stop();
        boolean first = !refused;
        refused = true;
        return first;
    }

    /** On the event loop. */
    boolean refused() {
        return refused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        update();
        super.channelWritabilityChanged(ctx);
    }

    /** Request data held plus replies queued and not yet written to the socket. */
    long buffered() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return budget.held() + (out == null ? 0 : out.totalPendingWriteBytes());
    }

    private void budgetCrossed() {
        if (channel.eventLoop().inEventLoop()) {
            update();
            return;
        }
        try {
            channel.eventLoop().execute(this::update);
        } catch (RejectedExecutionException e) {
            // the backend is closing: nothing will be read from this connection again anyway
        }
    }

    private void update() {
        boolean read = !stopped && channel.isWritable() && !budget.over();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
