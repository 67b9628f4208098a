package io.vblk.backend;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ProtocolException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses a connection beyond {@code limits.max-connections} open at once (raised to the connection's
 * {@link ErrorHandler}, which words it in the door's protocol). Every connection, refused or not, is counted
 * while it is open, so the count cannot drift. One for both doors.
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
            ctx.fireExceptionCaught(new ProtocolException(ErrorCode.LIMIT,
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
