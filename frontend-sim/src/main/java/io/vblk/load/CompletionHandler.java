package io.vblk.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vblk.protocol.Completion;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;

/** After attach: hands each Completion to the client and releases it; anything else ends the connection. */
final class CompletionHandler extends ChannelInboundHandlerAdapter {
    private final VirtioClient client;

    CompletionHandler(VirtioClient client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Completion) {
            Completion c = (Completion) msg;
            try {
                client.completed(c);
            } finally {
                c.release();
            }
        } else if (msg instanceof ErrorFrame) {
            client.failed("backend error " + msg);
            ctx.close();
        } else {
            ReferenceCountUtil.release(msg);
            client.failed("backend sent an unexpected " + ((Frame) msg).kind() + " frame");
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        client.readComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.failed("backend closed the connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        client.failed(ConnectionErrors.describe(cause));
        ctx.close();
    }
}
