package io.vblk.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vblk.config.ConfigLoader;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.StatsQuery;
import io.vblk.protocol.StatsReply;
import io.vblk.result.BackendStats;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A connection that never attaches and only asks the backend for its counters; answers come in query order.
 * The backend takes one query at a time per connection, so a query asked while another is unanswered is sent
 * when that answer arrives.
 */
public final class StatsClient {
    // the backend writes with vblk's JSON conventions (kebab-case keys); a newer backend may add counters
    private static final ObjectReader STATS = ConfigLoader.json().readerFor(BackendStats.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Channel channel;
    private final String token;
    // event loop only: one future per query asked and not yet answered; only the first is on the wire
    private final ArrayDeque<CompletableFuture<BackendStats>> pending = new ArrayDeque<>();
    private String failure;

    private StatsClient(Channel channel, String token) {
        this.channel = channel;
        this.token = token;
    }

    public static CompletableFuture<StatsClient> connect(Bootstrap bootstrap, InetSocketAddress address, Access access) {
        CompletableFuture<StatsClient> result = new CompletableFuture<>();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                StatsClient client = new StatsClient(ch, access.token());
                access.secure(ch, address);
                ch.pipeline().addLast("decoder", new FrameDecoder(FrameCodec.MAX_CONTROL_BODY))
                        .addLast("encoder", FrameEncoder.INSTANCE)
                        .addLast("stats", client.new Handler());
            }
        });
        b.connect(address).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(f.channel().pipeline().get(Handler.class).client());
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /** The backend's counters as of when it reads this query; sent at once when called on the event loop. */
    public CompletableFuture<BackendStats> query() {
        CompletableFuture<BackendStats> f = new CompletableFuture<>();
        if (channel.eventLoop().inEventLoop()) {
            send(f);
        } else {
            channel.eventLoop().execute(() -> send(f));
        }
        return f;
    }

    public Channel channel() {
        return channel;
    }

    /** Closes without waiting, so any thread may call it. */
    public void close() {
        channel.close();
    }

    /** Parses a STATS_REPLY body; unknown fields are ignored. */
    public static BackendStats parse(String json) {
        try {
            return STATS.readValue(json);
        } catch (JsonProcessingException e) {
            throw LoadException.runFailed("backend sent stats that do not parse: " + e.getOriginalMessage());
        }
    }

    private void send(CompletableFuture<BackendStats> f) {
        if (failure != null) {
            f.completeExceptionally(LoadException.runFailed(failure));
            return;
        }
        pending.addLast(f);
        if (pending.size() == 1) {
            channel.writeAndFlush(new StatsQuery(token));
        }
    }

    private void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        for (CompletableFuture<BackendStats> f; (f = pending.pollFirst()) != null; ) {
            f.completeExceptionally(LoadException.runFailed(failure));
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        StatsClient client() {
            return StatsClient.this;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof StatsReply) {
                CompletableFuture<BackendStats> f = pending.pollFirst();
                if (f == null) {
                    fail("backend sent stats nobody asked for");
                    ctx.close();
                    return;
                }
                try {
                    f.complete(parse(((StatsReply) frame).json()));
                } catch (LoadException e) {
                    f.completeExceptionally(e);
                }
                if (!pending.isEmpty()) {
                    ctx.writeAndFlush(new StatsQuery(token));
                }
            } else if (frame instanceof ErrorFrame) {
                fail("backend refused the stats query: " + frame);
                ctx.close();
            } else {
                fail("backend answered a stats query with " + frame.kind());
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("backend closed the stats connection");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail("stats connection: " + ConnectionErrors.describe(cause));
            ctx.close();
        }
    }
}
