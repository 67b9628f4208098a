package io.vblk.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ProtocolException;
import io.vblk.protocol.StatsQuery;
import io.vblk.protocol.StatsReply;
import java.util.concurrent.TimeUnit;

/**
 * Answers STATS_QUERY on any connection with the backend's counters as JSON, if it carries the token. One
 * query at a time per connection (a second before the first is answered is ERROR {@code LIMIT}), at most one
 * answer per {@link #MIN_INTERVAL_MS} per connection (an earlier query waits), and the JSON is made by
 * {@link StatsService}, off the event loops: a flood of 8-byte queries cannot hold a loop. One per connection.
 */
final class StatsHandler extends SimpleChannelInboundHandler<StatsQuery> {
    static final long MIN_INTERVAL_MS = 10;
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MS);

    private final StatsService service;
    private final TokenCheck tokens;
    private final Connection connection;
    private boolean queryPending;
    private long answeredAt = System.nanoTime() - MIN_INTERVAL_NANOS;

    StatsHandler(StatsService service, TokenCheck tokens, Connection connection) {
        this.service = service;
        this.tokens = tokens;
        this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, StatsQuery q) {
        tokens.require(q.token());
        if (queryPending) {
            throw new ProtocolException(ErrorCode.LIMIT,
                    "STATS_QUERY before the previous one was answered: send one at a time");
        }
        queryPending = true;
        connection.settle();
        long wait = answeredAt + MIN_INTERVAL_NANOS - System.nanoTime();
        if (wait > 0) {
            ctx.executor().schedule(() -> ask(ctx), wait, TimeUnit.NANOSECONDS);
        } else {
            ask(ctx);
        }
    }

    private void ask(ChannelHandlerContext ctx) {
        service.ask(json -> ctx.executor().execute(() -> {
            queryPending = false;
            answeredAt = System.nanoTime();
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(new StatsReply(json));
            }
        }));
    }
}
