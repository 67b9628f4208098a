package io.vblk.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.FrameEncoder;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One attached device connection, driver side. Pipeline: {@link FrameDecoder}, {@link FrameEncoder}, then
 * {@link AttachHandler} until AttachOk and {@link CompletionHandler} after it. Everything except
 * {@link #close()} runs on the channel's event loop.
 */
public final class VirtioClient {
    /** The driver above the queue; called on the event loop. */
    public interface Listener {
        /** The completion and its data are released when this returns. */
        void completed(Completion c);

        /** The last frame of one socket read has been handed over: a good moment to flush. */
        void readComplete();

        /** The connection is no longer usable (an ErrorFrame, a protocol error, or it closed); called once. */
        void failed(String reason);
    }

    private final Channel channel;
    private final String device;
    private final long offeredFeatures;
    private final long features;
    private final BlkConfig config;
    private volatile boolean closing;
    // event loop only
    private Listener listener;
    private String failure;

    VirtioClient(Channel channel, String device, long offeredFeatures, long features, BlkConfig config) {
        this.channel = channel;
        this.device = device;
        this.offeredFeatures = offeredFeatures;
        this.features = features;
        this.config = config;
    }

    /**
     * Connects and attaches to {@code device}, acknowledging the offered features that are also in
     * {@code wantedFeatures}. Fails with a {@link LoadException} when the backend refuses.
     */
    public static CompletableFuture<VirtioClient> attach(Bootstrap bootstrap, InetSocketAddress address, String device,
                                                         long wantedFeatures, Access access) {
        CompletableFuture<VirtioClient> result = new CompletableFuture<>();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                FrameDecoder decoder = new FrameDecoder(FrameCodec.MAX_CONTROL_BODY);
                access.secure(ch, address);
                ch.pipeline().addLast("decoder", decoder)
                        .addLast("encoder", FrameEncoder.INSTANCE)
                        .addLast("attach", new AttachHandler(device, wantedFeatures, access.token(), decoder, result));
            }
        });
        b.connect(address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    public String device() {
        return device;
    }

    public BlkConfig config() {
        return config;
    }

    public long offeredFeatures() {
        return offeredFeatures;
    }

    /** The features acknowledged to the backend. */
    public long features() {
        return features;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public Channel channel() {
        return channel;
    }

    /** Routes completions to {@code l}; a failure that happened before is reported to it at once. Event loop only. */
    public void listen(Listener l) {
        listener = l;
        if (failure != null) {
            l.failed(failure);
        }
    }

    /** Queues a request without flushing; the request's data reference passes to the channel. */
    public void write(BlkRequest request) {
        channel.write(request, channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    /** Closes the connection on purpose and waits: its going away is not reported as a failure. Not on a loop. */
    public void close() {
        closing = true;
        channel.close().awaitUninterruptibly();
    }

    void completed(Completion c) {
        if (listener != null) {
            listener.completed(c);
        }
    }

    void readComplete() {
        if (listener != null) {
            listener.readComplete();
        }
    }

    void failed(String reason) {
        if (failure != null || closing) {
            return;
        }
        failure = reason;
        if (listener != null) {
            listener.failed(reason);
        }
    }
}
