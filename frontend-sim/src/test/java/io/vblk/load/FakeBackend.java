package io.vblk.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vblk.config.ConfigLoader;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.Attach;
import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.StatsReply;
import io.vblk.protocol.Transport;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal peer for the client's own tests: RAM devices, every request completed after {@code delayMicros},
 * and switches that make it misbehave. Not the real backend: the integration module runs that one.
 */
public final class FakeBackend implements AutoCloseable {
    static final int QUEUE_SIZE = 16;

    final class Device {
        final String name;
        final byte[] data;
        final int queueSize;
        final BitSet written = new BitSet();
        final AtomicLong received = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peakInFlight = new AtomicInteger();

        Device(String name, int bytes, int queueSize) {
            this.name = name;
            this.data = new byte[bytes];
            this.queueSize = queueSize;
        }
    }

    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final EventLoopGroup group = Transport.group(1, "fake-backend");
    private Channel server;
    volatile long delayMicros = 50;
    public volatile boolean corruptWrittenReads;
    /** FLUSH requests completed, over all devices. */
    public final AtomicLong flushes = new AtomicLong();
    /** The request with this 1-based number on a connection gets an ErrorFrame instead of a completion. */
    volatile long errorAt = Long.MAX_VALUE;
    /** The request with this 1-based number on a connection is never completed. */
    volatile long swallowAt = Long.MAX_VALUE;
    /** At the request with this 1-based number the connection is reset (RST), as a killed backend's are. */
    volatile long resetAt = Long.MAX_VALUE;

    public FakeBackend device(String name, int bytes, int queueSize) {
        devices.put(name, new Device(name, bytes, queueSize));
        return this;
    }

    Device device(String name) {
        return devices.get(name);
    }

    public FakeBackend start() {
        server = new ServerBootstrap().group(group).channel(Transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(1 << 20), FrameEncoder.INSTANCE, new Connection());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return this;
    }

    public String target() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String statsJson() throws Exception {
        List<DeviceStats> list = new ArrayList<>();
        for (Device d : devices.values()) {
            list.add(new DeviceStats(d.name, 100, "aio", d.received.get(), d.completed.get(), 0, 0,
                    d.peakInFlight.get(), 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0, 0, null));
        }
        return ConfigLoader.json().writeValueAsString(new BackendStats(System.nanoTime(), "fifo", 64, 0, 0, 0, 0, list));
    }

    private final class Connection extends SimpleChannelInboundHandler<Frame> {
        private Device device;
        private long requests;
        private final BitSet inFlight = new BitSet();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) throws Exception {
            if (f instanceof Attach) {
                device = devices.get(((Attach) f).device());
                if (device == null) {
                    refuse(ctx, ErrorCode.UNKNOWN_DEVICE, "no device '" + ((Attach) f).device() + "'");
                    return;
                }
                long sectors = device.data.length / VirtioBlk.SECTOR_SIZE;
                ctx.writeAndFlush(new AttachOk(FrameCodec.VERSION,
                        VirtioBlk.bit(VirtioBlk.F_BLK_SIZE) | VirtioBlk.bit(VirtioBlk.F_FLUSH),
                        new BlkConfig(sectors, 512, 16, 65536, 1, device.queueSize, 1, 1, 1, 1)));
            } else if (f.kind() == io.vblk.protocol.FrameKind.STATS_QUERY) {
                ctx.writeAndFlush(new StatsReply(statsJson()));
            } else if (f instanceof BlkRequest) {
                request(ctx, (BlkRequest) f);
            }
        }

        private void request(ChannelHandlerContext ctx, BlkRequest r) {
            long n = ++requests;
            device.received.incrementAndGet();
            if (inFlight.get(r.descriptor()) || r.descriptor() >= device.queueSize) {
                refuse(ctx, ErrorCode.DESCRIPTOR_IN_USE, "descriptor " + r.descriptor() + " is in use");
                return;
            }
            if (n == errorAt) {
                refuse(ctx, ErrorCode.QUEUE_OVERFLOW, "fake overflow at request " + n);
                return;
            }
            inFlight.set(r.descriptor());
            int now = device.inFlight.incrementAndGet();
            device.peakInFlight.accumulateAndGet(now, Math::max);
            if (n == swallowAt) {
                return;
            }
            if (n == resetAt) {
                ctx.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
                ctx.close();
                return;
            }
            int offset = (int) (r.sector() * VirtioBlk.SECTOR_SIZE);
            Completion c;
            if (r.type() == VirtioBlk.T_OUT) {
                r.data().getBytes(r.data().readerIndex(), device.data, offset, r.length());
                device.written.set(offset / 512);
                c = Completion.of(r.queue(), r.descriptor(), VirtioBlk.S_OK);
            } else if (r.type() == VirtioBlk.T_FLUSH) {
                flushes.incrementAndGet();
                c = Completion.of(r.queue(), r.descriptor(), VirtioBlk.S_OK);
            } else {
                ByteBuf data = ctx.alloc().buffer(r.length()).writeBytes(device.data, offset, r.length());
                if (corruptWrittenReads && device.written.get(offset / 512)) {
                    data.setByte(100, data.getByte(100) ^ 1);
                }
                c = new Completion(r.queue(), r.descriptor(), VirtioBlk.S_OK, r.length(), data);
            }
            ctx.executor().schedule(() -> {
                inFlight.clear(c.descriptor());
                device.inFlight.decrementAndGet();
                device.completed.incrementAndGet();
                ctx.writeAndFlush(c);
            }, delayMicros, TimeUnit.MICROSECONDS);
        }

        private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
            ctx.writeAndFlush(new ErrorFrame(code, message)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
