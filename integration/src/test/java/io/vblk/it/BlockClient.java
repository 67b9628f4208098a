package io.vblk.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.vblk.protocol.Ack;
import io.vblk.protocol.Attach;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A small protocol client for the reliability tests, independent of the load generator so that those tests
 * prove the backend with nothing of the frontend's own logic between: one queue, the caller picks each
 * request's descriptor (unique among those in flight), and each request's completion is a future. A
 * connection that closes fails every future still pending, so a lost completion shows as a failure, never
 * as a hang.
 */
final class BlockClient implements AutoCloseable {
    private static final EventLoopGroup GROUP = Transport.group(2, "it-client");

    private final Channel channel;
    private final CompletableFuture<AttachOk> attached = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Completion>> pending = new ConcurrentHashMap<>();

    private BlockClient(InetSocketAddress address) throws InterruptedException {
        channel = new Bootstrap().group(GROUP).channel(Transport.clientChannel())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameDecoder(8 << 20), FrameEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<Frame>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                        received(f);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        closed();
                                    }
                                });
                    }
                }).connect(address).sync().channel();
    }

    static BlockClient attach(String target, String device) throws Exception {
        int colon = target.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(target.substring(0, colon),
                Integer.parseInt(target.substring(colon + 1)));
        BlockClient c = new BlockClient(address);
        c.channel.writeAndFlush(new Attach(FrameCodec.VERSION, 1, device)).sync();
        AttachOk ok = c.attached.get(10, TimeUnit.SECONDS);
        c.channel.writeAndFlush(new Ack(ok.features())).sync();
        return c;
    }

    private void received(Frame f) {
        if (f instanceof AttachOk ok) {
            attached.complete(ok);
        } else if (f instanceof Completion c) {
            CompletableFuture<Completion> waiting = pending.remove(c.descriptor());
            if (waiting == null) {
                c.release();
                throw new IllegalStateException("completion for descriptor " + c.descriptor() + " nobody sent");
            }
            waiting.complete(c);
        } else {
            attached.completeExceptionally(new IOException("backend answered " + f));
        }
    }

    private void closed() {
        IOException gone = new IOException("connection closed before the completion");
        attached.completeExceptionally(gone);
        pending.values().forEach(p -> p.completeExceptionally(gone));
    }

    /** Sends the request; the future holds its completion, whose data the caller releases. */
    CompletableFuture<Completion> submit(BlkRequest r) {
        CompletableFuture<Completion> f = new CompletableFuture<>();
        if (pending.putIfAbsent(r.descriptor(), f) != null) {
            r.release();
            throw new IllegalStateException("descriptor " + r.descriptor() + " already in flight");
        }
        channel.writeAndFlush(r).addListener(w -> {
            if (!w.isSuccess()) {
                pending.remove(r.descriptor(), f);
                f.completeExceptionally(w.cause());
            }
        });
        if (!channel.isActive()) {
            // closed() may have run before the put; fail this one the same way
            f.completeExceptionally(new IOException("connection closed before the completion"));
        }
        return f;
    }

    /** Sends and waits up to 10 s. */
    Completion call(BlkRequest r) throws Exception {
        return submit(r).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
