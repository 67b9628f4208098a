package io.vblk.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.Frame;
import io.vblk.protocol.ProtocolException;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a connection, where every refusal ends: a guard's (limits, deadlines) and a protocol
 * violation both arrive as a {@link ProtocolException}, whatever the door, and a message nobody handled is
 * one too; the door's {@link Connection.RefusalForm} words it and closes. A failed TLS handshake is a
 * refusal too, but wordless: the TLS handler closes, and no frame could be read without TLS. A dropped socket
 * just closes. The backend keeps serving everyone else. Every refusal is logged with its reason at WARN (what
 * the shipped logback.xml shows), at most 10 lines a second. One per connection.
 */
final class ErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
    private static final ThrottledLog refusals = new ThrottledLog(log, 10);
    // exceptions that are neither a protocol violation nor a dropped socket: bugs; the fuzz tests require none
    static final LongAdder INTERNAL_ERRORS = new LongAdder();

    private final Connection connection;
    private final Connection.RefusalForm form;
    private final io.vblk.metrics.DoorCounters counters;

    ErrorHandler(Connection connection, Connection.RefusalForm form, io.vblk.metrics.DoorCounters counters) {
        this.counters = counters;
        this.connection = connection;
        this.form = form;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String what = msg instanceof Frame f ? f.kind().toString() : msg.getClass().getSimpleName();
        ReferenceCountUtil.release(msg);
        refuse(ctx, ErrorCode.UNEXPECTED_FRAME, what + " frame is not expected at this point");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof ProtocolException p) {
            refuse(ctx, p.code(), p.getMessage());
        } else if (c instanceof IOException) {
            ctx.close();
        } else {
            INTERNAL_ERRORS.increment();
            log.error("{}: internal error", ctx.channel().remoteAddress(), c);
            refuse(ctx, ErrorCode.MALFORMED, "internal error: " + c);
        }
    }

    // SslHandler reports every failed handshake this way (a record that is not TLS, an alert such as a client's
    // distrust of the certificate, its deadline) before it closes; the SSLException that may follow only closes.
    // A connection closed mid-handshake without a word (the client left, or a guard or the wrong-door check
    // closed it and counted it) is no refusal.
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()
                && !(e.cause() instanceof java.nio.channels.ClosedChannelException) && connection.gate.refuse()) {
            // past limits.idle-timeout it is that deadline's refusal, as on the NBD door, where the guard's fires
            boolean late = e.cause() instanceof SslHandshakeTimeoutException;
            refusals.warn("{}: refused, the TLS handshake {}: {}", ctx.channel().remoteAddress(),
                    late ? "did not finish within limits.idle-timeout" : "failed", e.cause().toString());
            counters.refused(late ? reason(ErrorCode.LIMIT) : io.vblk.metrics.DoorCounters.TLS);
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** A refusal's reason in the metrics: its error code, as a label value. */
    static String reason(ErrorCode code) {
        return code.name().toLowerCase(java.util.Locale.ROOT);
    }

    // one refusal per connection: frames decoded after the first offence must not add another
    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        if (ctx.channel().isActive() && connection.gate.refuse()) {
            refusals.warn("{}: refused, {}: {}", ctx.channel().remoteAddress(), code, message);
            counters.refused(reason(code));
            form.refuse(ctx, code, message);
        }
    }
}
