package io.vblk.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vblk.protocol.Ack;
import io.vblk.protocol.Attach;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameDecoder;
import io.vblk.protocol.ProtocolException;

/**
 * ATTACH, then ACK: checks the token (when auth is on, before anything else, so that a stranger learns
 * not even the device names), names the device, grants at most its queues, offers features and the config block,
 * checks that the driver acknowledges a subset. Then replaces itself with a {@link RequestHandler}.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private final Exports exports;
    private final Connection connection;
    private final FrameDecoder decoder;
    private Device device;
    private int queues;

    HandshakeHandler(Exports exports, Connection connection, FrameDecoder decoder) {
        this.exports = exports;
        this.connection = connection;
        this.decoder = decoder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (device == null && msg instanceof Attach a) {
            attach(ctx, a);
        } else if (device != null && msg instanceof Ack ack) {
            acknowledge(ctx, ack);
        } else {
            String what = msg instanceof io.vblk.protocol.Frame f ? f.kind().toString() : "message";
            ReferenceCountUtil.release(msg);
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME,
                    what + " before the handshake finished: send " + (device == null ? "ATTACH" : "ACK") + " first");
        }
    }

    private void attach(ChannelHandlerContext ctx, Attach a) {
        exports.tokens().require(a.token());
        if (a.version() != FrameCodec.VERSION) {
            throw new ProtocolException(ErrorCode.BAD_VERSION,
                    "protocol version " + a.version() + " is not supported; this backend speaks " + FrameCodec.VERSION);
        }
        Device d = exports.device(a.device());
        if (d == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_DEVICE,
                    "no device '" + a.device() + "'; this backend has " + String.join(", ", exports.names()));
        }
        if (a.queues() < 1) {
            throw new ProtocolException(ErrorCode.BAD_QUEUE, "ATTACH must ask for at least one queue");
        }
        device = d;
        queues = Math.min(a.queues(), d.config().queues());
        ctx.writeAndFlush(new AttachOk(FrameCodec.VERSION, d.features(), d.blkConfig().withQueues(queues)));
    }

    private void acknowledge(ChannelHandlerContext ctx, Ack ack) {
        long extra = ack.features() & ~device.features();
        if (extra != 0) {
            throw new ProtocolException(ErrorCode.BAD_FEATURES,
                    "ACK names features the device did not offer: 0x" + Long.toHexString(extra));
        }
        // the connection's queues share one sink: they answer on the same channel
        VirtioSink sink = new VirtioSink(ctx.channel(), connection);
        DeviceQueue[] attached = new DeviceQueue[queues];
        for (int q = 0; q < queues; q++) {
            attached[q] = exports.queue(device, q, ack.features(), sink, connection.budget());
        }
        decoder.maxBody((int) Math.min(Integer.MAX_VALUE - 64, device.blkConfig().maxTransfer() + FrameCodec.REQUEST_HEADER_BYTES));
        connection.settle();
        ctx.pipeline().replace(this, "requests", new RequestHandler(attached));
    }
}
