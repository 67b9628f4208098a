package io.vblk.backend;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vblk.config.ConfigLoader;
import io.vblk.protocol.StatsQuery;
import io.vblk.protocol.StatsReply;
import java.util.function.Supplier;

/** Answers STATS_QUERY on any connection with the backend's counters as JSON, if it carries the token. */
@Sharable
final class StatsHandler extends SimpleChannelInboundHandler<StatsQuery> {
    private final Supplier<io.vblk.result.BackendStats> stats;
    private final TokenCheck tokens;

    StatsHandler(Supplier<io.vblk.result.BackendStats> stats, TokenCheck tokens) {
        this.stats = stats;
        this.tokens = tokens;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, StatsQuery q) throws Exception {
        tokens.require(q.token());
        IdleGuard.settle(ctx.channel());
        ctx.writeAndFlush(new StatsReply(ConfigLoader.json().writeValueAsString(stats.get())));
    }
}
