package io.vblk.backend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether the backend reads from one connection. It stops reading while the connection's replies
 * are backed up past the write buffer's high water mark (the client is not reading them), or while the
 * request data it received and has not yet stored exceeds {@code limits.max-connection-memory}; it resumes
 * when both have drained. Once {@link #stop} has been called it never resumes: the connection is closing.
 * Once {@link #refuse}d, what the client sent after the offending frame is dropped unread.
 */
final class ReadGate extends ChannelInboundHandlerAdapter {
    private final long maxHeld;
    // written on the event loop when a request arrives, and on whichever thread stored its data
    private final AtomicLong held = new AtomicLong();
    private Channel channel;
    private volatile boolean stopped;
    private volatile boolean refused;

    ReadGate(long maxHeld) {
        this.maxHeld = maxHeld;
    }

    /** Stops reading from {@code ch} for good (a refusal or the backend closing); safe from any thread. */
    static void stop(Channel ch) {
        ReadGate g = ch.pipeline().get(ReadGate.class);
        if (g != null) {
            g.stopped = true;
        }
        ch.config().setAutoRead(false);
    }

    /**
     * Marks {@code ch} refused: its ERROR frame is (to be) the last frame it gets, so frames already decoded
     * are dropped and replies are not written. Returns false if it was refused already.
     */
    static boolean refuse(Channel ch) {
        ReadGate g = ch.pipeline().get(ReadGate.class);
        stop(ch);
        if (g == null) {
            return true;
        }
        boolean first = !g.refused;
        g.refused = true;
        return first;
    }

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
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        update();
        super.channelWritabilityChanged(ctx);
    }

    /** On the event loop: a request's data of {@code bytes} is now held until it is stored. */
    void hold(int bytes) {
        if (held.addAndGet(bytes) > maxHeld) {
            update();
        }
    }

    /** From any thread: {@code bytes} of request data were stored or dropped. */
    void unhold(int bytes) {
        long now = held.addAndGet(-bytes);
        if (now <= maxHeld && now + bytes > maxHeld) {
            try {
                channel.eventLoop().execute(this::update);
            } catch (RejectedExecutionException e) {
                // the backend is closing: nothing will be read from this connection again anyway
            }
        }
    }

    /** Request data held plus replies queued and not yet written to the socket. */
    long buffered() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return held.get() + (out == null ? 0 : out.totalPendingWriteBytes());
    }

    private void update() {
        boolean read = !stopped && channel.isWritable() && held.get() <= maxHeld;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
