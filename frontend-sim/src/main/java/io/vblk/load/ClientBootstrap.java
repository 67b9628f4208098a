package io.vblk.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.vblk.protocol.Transport;
import java.time.Duration;

/** The client side's Netty setup: the shared transport choice, small frames sent at once, bounded connects. */
public final class ClientBootstrap {
    private ClientBootstrap() {}

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** One small group for every connection of a run; daemon threads, so a stuck run never holds the JVM. */
    public static EventLoopGroup group(int threads, Duration spin) {
        return Transport.group(threads, "vblk-load", spin);
    }

    /** A bootstrap without a handler; each client adds its own pipeline. */
    public static Bootstrap of(EventLoopGroup group) {
        return new Bootstrap()
                .group(group)
                .channel(Transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis());
    }
}
