package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.PartialInput;
import io.vblk.protocol.ProtocolException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that holds resources without finishing what it started, with two absolute deadlines of
 * {@code limits.idle-timeout}: the handshake must be done that long after the connection opened, and a frame
 * (or NBD request) that long after its first byte arrived. Bytes trickling in reset neither (slowloris).
 * A connection counts as done with its handshake once it is {@link #settle}d: its door's handshake finished,
 * or a stats-only connection asked a valid query. Between frames a settled connection may stay quiet for
 * ever: it may be waiting for replies, or simply idle. A missed deadline is raised as a refusal to the
 * connection's {@link ErrorHandler}. Event loop only.
 */
final class IdleGuard extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private final long timeoutNanos;
    private final PartialInput decoder;
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

    /** @param decoder the door's decoder, whose partly received frame the second deadline watches */
    IdleGuard(Duration timeout, PartialInput decoder) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.decoder = decoder;
    }

    /** The handshake is done, or the connection has shown it is a real client: the handshake deadline is off. */
    void settle() {
        settled = true;
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
        int partial = decoder.buffered();
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
        return !settled;
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
            refuse("a partial frame (" + decoder.buffered() + " bytes) not completed");
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
        ctx.fireExceptionCaught(new ProtocolException(ErrorCode.LIMIT,
                why + " within " + timeout.toMillis() + " ms (limits.idle-timeout)"));
    }
}
