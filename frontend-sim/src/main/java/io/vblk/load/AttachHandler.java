package io.vblk.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vblk.protocol.Ack;
import io.vblk.protocol.Attach;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The driver's half of the handshake: Attach, then AttachOk, then Ack of the features used. On success it
 * widens the decoder to the device's largest transfer and hands the pipeline to a {@link CompletionHandler}.
 */
final class AttachHandler extends ChannelInboundHandlerAdapter {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String device;
    private final long wantedFeatures;
    private final String token;
    private final FrameDecoder decoder;
    private final CompletableFuture<VirtioClient> result;
    private ScheduledFuture<?> timeout;

    AttachHandler(String device, long wantedFeatures, String token, FrameDecoder decoder,
                  CompletableFuture<VirtioClient> result) {
        this.device = device;
        this.wantedFeatures = wantedFeatures;
        this.token = token;
        this.decoder = decoder;
        this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, LoadException.runFailed(
                "device '" + device + "': no answer to attach within " + TIMEOUT.toSeconds() + "s")),
                TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        ctx.writeAndFlush(new Attach(FrameCodec.VERSION, 1, device, token));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof AttachOk) {
            attached(ctx, (AttachOk) msg);
        } else if (msg instanceof ErrorFrame) {
            ErrorFrame e = (ErrorFrame) msg;
            String text = "device '" + device + "': backend refused the attach: " + e;
            // an unknown device or a wrong token is a mistake in the load config, not a failed run
            boolean usage = e.code() == ErrorCode.UNKNOWN_DEVICE || e.code() == ErrorCode.AUTH_FAILED;
            fail(ctx, usage ? LoadException.usage(text) : LoadException.runFailed(text));
        } else {
            ReferenceCountUtil.release(msg);
            fail(ctx, LoadException.runFailed("device '" + device + "': backend sent " + ((Frame) msg).kind()
                    + " before answering the attach"));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, LoadException.runFailed("device '" + device + "': backend closed the connection during attach"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, LoadException.runFailed("device '" + device + "': attach failed: " + ConnectionErrors.describe(cause)));
    }

    private void attached(ChannelHandlerContext ctx, AttachOk ok) {
        if (ok.version() != FrameCodec.VERSION) {
            fail(ctx, LoadException.runFailed("device '" + device + "': backend speaks protocol version "
                    + ok.version() + ", this simulator " + FrameCodec.VERSION));
            return;
        }
        cancelTimeout();
        decoder.maxBody((int) Math.min(Integer.MAX_VALUE - 64,
                ok.config().maxTransfer() + FrameCodec.COMPLETION_HEADER_BYTES));
        long features = ok.features() & wantedFeatures;
        VirtioClient client = new VirtioClient(ctx.channel(), device, ok.features(), features, ok.config());
        ctx.writeAndFlush(new Ack(features));
        ctx.pipeline().replace(this, "completions", new CompletionHandler(client));
        result.complete(client);
    }

    private void fail(ChannelHandlerContext ctx, LoadException e) {
        cancelTimeout();
        if (result.completeExceptionally(e)) {
            ctx.close();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
