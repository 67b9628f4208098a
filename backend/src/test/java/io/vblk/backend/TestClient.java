package io.vblk.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.vblk.protocol.Ack;
import io.vblk.protocol.Attach;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare protocol client for tests: sends frames (or raw bytes) and hands back every frame received. */
final class TestClient implements AutoCloseable {
    private static final EventLoopGroup GROUP = Transport.group(1, "test-client");
    private static final Object CLOSED = new Object();

    private final Channel channel;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    AttachOk attached;

    TestClient(InetSocketAddress address) throws InterruptedException {
        this(address, null);
    }

    /** With {@code ssl}, the connection speaks TLS and checks that the backend's certificate names its address. */
    TestClient(InetSocketAddress address, SslContext ssl) throws InterruptedException {
        channel = new Bootstrap().group(GROUP).channel(Transport.clientChannel())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                        }
                        ch.pipeline().addLast(new FrameDecoder(8 << 20), FrameEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<Frame>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                        inbox.add(f);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        inbox.add(CLOSED);
                                    }
                                });
                    }
                }).connect(address).sync().channel();
    }

    static TestClient attach(Backend b, String device) throws InterruptedException {
        return attach(b, device, "", null);
    }

    static TestClient attach(Backend b, String device, String token, SslContext ssl) throws InterruptedException {
        return attach(b, device, 1, token, ssl);
    }

    /** Attaches asking for {@code queues} virtqueues. */
    static TestClient attach(Backend b, String device, int queues, String token, SslContext ssl) throws InterruptedException {
        TestClient c = new TestClient(b.address(), ssl);
        c.send(new Attach(FrameCodec.VERSION, queues, device, token));
        c.attached = (AttachOk) c.next();
        c.send(new Ack(c.attached.features()));
        return c;
    }

    void send(Frame f) {
        channel.writeAndFlush(f).syncUninterruptibly();
    }

    void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes).syncUninterruptibly();
    }

    /** The next frame, or null if the connection closed; fails after 10 s. */
    Frame next() throws InterruptedException {
        Object o = inbox.poll(10, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return o == CLOSED ? null : (Frame) o;
    }

    /** The next frame if one arrives within {@code ms}, else null; fails if the connection closed. */
    Frame nextWithin(long ms) throws InterruptedException {
        Object o = inbox.poll(ms, TimeUnit.MILLISECONDS);
        if (o == CLOSED) {
            throw new AssertionError("connection closed");
        }
        return (Frame) o;
    }

    Completion call(BlkRequest r) throws InterruptedException {
        send(r);
        Frame f = next();
        if (!(f instanceof Completion c)) {
            throw new AssertionError("expected a completion, got " + f);
        }
        return c;
    }

    ErrorFrame expectErrorThenClose() throws InterruptedException {
        Frame f;
        do {
            f = next();
            if (f instanceof Completion c) {
                c.release();
            }
        } while (f instanceof Completion);
        if (!(f instanceof ErrorFrame e)) {
            throw new AssertionError("expected an error frame, got " + f);
        }
        if (next() != null) {
            throw new AssertionError("connection still open after the error frame");
        }
        return e;
    }

    /**
     * Sends {@code bytes} then half-closes, so the backend sees end of stream while the client still receives.
     * Either may fail because the backend closed first, which is an outcome the caller checks, not an error.
     */
    void sendRawThenShutdown(ByteBuf bytes) {
        channel.writeAndFlush(bytes).addListener(f -> ((SocketChannel) channel).shutdownOutput());
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        Object o;
        while ((o = inbox.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
