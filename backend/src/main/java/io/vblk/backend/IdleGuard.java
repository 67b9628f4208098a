package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.PartialInput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that holds resources without finishing what it started, with two absolute deadlines of
 * {@code limits.idle-timeout}: the handshake must be done that long after the connection opened, and a frame
 * (or NBD request) that long after its first byte arrived. Bytes trickling in reset neither (slowloris).
 * A connection counts as done with its handshake once a {@code serving} handler is in its pipeline, or once
 * it is {@link #settle}d (a stats-only connection that asked a valid query). Between frames a settled
 * connection may stay quiet for ever: it may be waiting for replies, or simply idle. Event loop only.
 */
final class IdleGuard extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private final long timeoutNanos;
    private final Class<? extends ChannelHandler> serving;
    private ChannelHandlerContext ctx;
    private long openedAt;
    private boolean settled;
    // bytes received, and how many of them the decoder had consumed after the last read: when that grows, the
    // decoder took at least one whole message, so what it holds now is a frame that began in that read
    private long received;
    private long consumed;
    private long partialSince = -1;
    private ScheduledFuture<?> check;
    private long checkAt;

    IdleGuard(Duration timeout, Class<? extends ChannelHandler> serving) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.serving = serving;
    }

    /** The connection has shown it is a real client (a valid stats query): the handshake deadline is off. */
    static void settle(Channel ch) {
        IdleGuard g = ch.pipeline().get(IdleGuard.class);
        if (g != null) {
            g.settled = true;
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        openedAt = System.nanoTime();
        arm(openedAt + timeoutNanos);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            received += b.readableBytes();
        }
        ctx.fireChannelRead(msg);
        // the decoder has decoded what it could from these bytes by now
        int partial = decoder().buffered();
        long nowConsumed = received - partial;
        if (partial == 0) {
            partialSince = -1;
        } else if (partialSince < 0 || nowConsumed != consumed) {
            partialSince = System.nanoTime();
            arm(partialSince + timeoutNanos);
        }
        consumed = nowConsumed;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (check != null) {
            check.cancel(false);
        }
        super.channelInactive(ctx);
    }

    private boolean handshaking() {
        return !settled && ctx.pipeline().get(serving) == null;
    }

    private PartialInput decoder() {
        // both doors name their decoder "decoder"
        return (PartialInput) ctx.pipeline().get("decoder");
    }

    // one check is scheduled at a time, for the earliest deadline; it schedules the next one itself
    private void arm(long at) {
        if (check != null && checkAt <= at) {
            return;
        }
        if (check != null) {
            check.cancel(false);
        }
        checkAt = at;
        check = ctx.executor().schedule(this::check, at - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void check() {
        check = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (handshaking() && now - openedAt >= timeoutNanos) {
            refuse("handshake not finished");
            return;
        }
        if (partialSince >= 0 && !ctx.channel().config().isAutoRead()) {
            // while we stopped reading ourselves (backpressure) the silence is ours: the frame's clock restarts
            partialSince = now;
        } else if (partialSince >= 0 && now - partialSince >= timeoutNanos) {
            refuse("a partial frame (" + decoder().buffered() + " bytes) not completed");
            return;
        }
        long next = Long.MAX_VALUE;
        if (handshaking()) {
            next = openedAt + timeoutNanos;
        }
        if (partialSince >= 0) {
            next = Math.min(next, partialSince + timeoutNanos);
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
    }

    private void refuse(String why) {
        ErrorHandler.refuse(ctx, new ErrorFrame(ErrorCode.LIMIT,
                why + " within " + timeout.toMillis() + " ms (limits.idle-timeout)"));
    }
}
