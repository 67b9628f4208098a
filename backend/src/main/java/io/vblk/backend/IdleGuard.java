package io.vblk.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.FrameDecoder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that holds resources while saying nothing: one that has not finished its handshake,
 * or one sitting on a partial frame, for {@code limits.idle-timeout}. An attached connection that is quiet
 * between frames is left alone: it may be waiting for replies to requests in flight, or simply idle.
 */
final class IdleGuard extends IdleStateHandler {
    private final Duration timeout;

    IdleGuard(Duration timeout) {
        super(timeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
        this.timeout = timeout;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        // while we stopped reading ourselves (backpressure) the silence is ours, not the client's
        if (!ctx.channel().config().isAutoRead()) {
            return;
        }
        String why;
        if (ctx.pipeline().get(RequestHandler.class) == null) {
            why = "handshake not finished";
        } else {
            int partial = ctx.pipeline().get(FrameDecoder.class).buffered();
            if (partial == 0) {
                return;
            }
            why = "a partial frame (" + partial + " bytes) not completed";
        }
        ErrorHandler.refuse(ctx, new ErrorFrame(ErrorCode.LIMIT,
                why + " within " + timeout.toMillis() + " ms (limits.idle-timeout)"));
    }
}
