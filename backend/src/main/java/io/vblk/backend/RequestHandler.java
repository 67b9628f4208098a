package io.vblk.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ProtocolException;

/**
 * After the handshake: routes each request to its virtqueue, tells the queues when the connection's replies
 * back up or drain, and closes the queues when the connection goes.
 */
final class RequestHandler extends SimpleChannelInboundHandler<BlkRequest> {
    private final DeviceQueue[] queues;
    private long seq;

    RequestHandler(DeviceQueue[] queues) {
        super(BlkRequest.class, false);
        this.queues = queues;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, BlkRequest req) {
        if (req.queue() >= queues.length) {
            req.release();
            throw new ProtocolException(ErrorCode.BAD_QUEUE,
                    "queue " + req.queue() + " was not negotiated; this connection has " + queues.length);
        }
        queues[req.queue()].arrive(req, seq++);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        for (DeviceQueue q : queues) {
            q.writabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (DeviceQueue q : queues) {
            q.close();
        }
        super.channelInactive(ctx);
    }
}
