package io.vblk.backend;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.vblk.log.ThrottledLog;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.ProtocolException;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a connection: a protocol violation becomes an {@link ErrorFrame} followed by close; a frame
 * nobody handled is one too; a dropped socket just closes. The backend keeps serving everyone else. Every
 * refusal is logged with its reason at WARN (what the shipped logback.xml shows), at most 10 lines a second.
 */
@Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {
    static final ErrorHandler INSTANCE = new ErrorHandler();
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
    private static final ThrottledLog refusals = new ThrottledLog(log, 10);
    // exceptions that are neither a protocol violation nor a dropped socket: bugs; the fuzz tests require none
    static final LongAdder INTERNAL_ERRORS = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String what = msg instanceof Frame f ? f.kind().toString() : msg.getClass().getSimpleName();
        ReferenceCountUtil.release(msg);
        refuse(ctx, new ErrorFrame(ErrorCode.UNEXPECTED_FRAME, what + " frame is not expected at this point"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof ProtocolException p) {
            refuse(ctx, p.toFrame());
        } else if (c instanceof IOException) {
            ctx.close();
        } else {
            INTERNAL_ERRORS.increment();
            log.error("{}: internal error", ctx.channel().remoteAddress(), c);
            refuse(ctx, new ErrorFrame(ErrorCode.MALFORMED, "internal error: " + c));
        }
    }

    static void refuse(ChannelHandlerContext ctx, ErrorFrame error) {
        // one ERROR frame per connection: frames decoded after the first offence must not add another
        if (ctx.channel().isActive() && ReadGate.refuse(ctx.channel())) {
            refusals.warn("{}: refused, {}: {}", ctx.channel().remoteAddress(), error.code(), error.message());
            ctx.channel().writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
