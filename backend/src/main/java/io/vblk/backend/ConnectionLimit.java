package io.vblk.backend;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses a connection beyond {@code limits.max-connections} open at once with an ERROR frame. Every
 * connection, refused or not, is counted while it is open, so the count cannot drift.
 */
@Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            ErrorHandler.refuse(ctx, new ErrorFrame(ErrorCode.LIMIT,
                    "the backend serves at most " + max + " connections at once (limits.max-connections)"));
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }

    int open() {
        return open.get();
    }
}
