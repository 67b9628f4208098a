package io.vblk.backend;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.PartialInput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that holds resources while saying nothing: one that has not finished its handshake,
 * or one sitting on a partial message, for {@code limits.idle-timeout}. An attached connection that is quiet
 * between messages is left alone: it may be waiting for replies to requests in flight, or simply idle.
 * Whatever the protocol, the connection counts as attached once a {@code serving} handler is in its pipeline.
 */
final class IdleGuard extends IdleStateHandler {
    private final Duration timeout;
    private final Class<? extends ChannelHandler> serving;

    IdleGuard(Duration timeout, Class<? extends ChannelHandler> serving) {
        super(timeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
        this.timeout = timeout;
        this.serving = serving;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        // while we stopped reading ourselves (backpressure) the silence is ours, not the client's
        if (!ctx.channel().config().isAutoRead()) {
            return;
        }
        String why;
        if (ctx.pipeline().get(serving) == null) {
            why = "handshake not finished";
        } else {
            // both doors name their decoder "decoder"
            PartialInput decoder = (PartialInput) ctx.pipeline().get("decoder");
            int partial = decoder.buffered();
            if (partial == 0) {
                return;
            }
            why = "a partial frame (" + partial + " bytes) not completed";
        }
        ErrorHandler.refuse(ctx, new ErrorFrame(ErrorCode.LIMIT,
                why + " within " + timeout.toMillis() + " ms (limits.idle-timeout)"));
    }
}
