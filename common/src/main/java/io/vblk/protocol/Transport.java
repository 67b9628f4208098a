package io.vblk.protocol;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;

/** Native epoll where Linux offers it, NIO otherwise; both sides pick the same way. */
public final class Transport {
    private Transport() {}

    public static boolean nativeEpoll() {
        return Epoll.isAvailable() && !Boolean.getBoolean("vblk.nio");
    }

    /** Loops that sleep as soon as they run out of work. */
    public static EventLoopGroup group(int threads, String name) {
        return group(threads, name, Duration.ZERO);
    }

    /**
     * @param threads loop threads; 0 for Netty's default (two per core)
     * @param spin how long a loop polls after its last work before it sleeps ({@link SpinBeforeSleep})
     */
    public static EventLoopGroup group(int threads, String name, Duration spin) {
        long spinNanos = spin.toNanos();
        SelectStrategyFactory strategy = spinNanos == 0 ? DefaultSelectStrategyFactory.INSTANCE
                : () -> new SpinBeforeSleep(spinNanos, System::nanoTime);
        IoHandlerFactory io = nativeEpoll() ? EpollIoHandler.newFactory(0, strategy)
                : NioIoHandler.newFactory(SelectorProvider.provider(), strategy);
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> clientChannel() {
        return nativeEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
