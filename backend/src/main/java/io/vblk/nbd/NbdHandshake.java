package io.vblk.nbd;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.vblk.backend.Connection;
import io.vblk.backend.Exports;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ProtocolException;
import io.vblk.protocol.nbd.Nbd;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.vblk.backend.ThrottledLog;
import org.slf4j.LoggerFactory;

/**
 * The fixed newstyle handshake: greeting, client flags, then options until GO or EXPORT_NAME attaches the
 * connection to one device (export name = device name, or TOKEN/DEVICE with auth); then it replaces itself
 * with an {@link NbdTransmission}. With TLS configured the door is FORCEDTLS: every option but STARTTLS and
 * ABORT is answered NBD_REP_ERR_TLS_REQD until STARTTLS has put TLS first in the pipeline.
 */
public final class NbdHandshake extends ChannelInboundHandlerAdapter {
    // a client's mistakes, shown by the shipped logback.xml (WARN) at a bounded rate
    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(NbdHandshake.class), 10);
    private static final int KNOWN_CLIENT_FLAGS = Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES;
    static final int MIN_BLOCK = 512;
    static final int PREFERRED_BLOCK = 4096;

    private final Exports exports;
    private final SslContext ssl;
    private final Duration tlsTimeout;
    private final Connection connection;
    private final NbdDecoder decoder;
    private boolean tls;
    private final io.vblk.metrics.DoorCounters counters;
    /** The refusal reason, in the metrics, of a handshake the door closes (an export refused, TLS skipped). */
    public static final String HANDSHAKE = "handshake";
    private boolean noZeroes;
    private boolean structured;

    /**
     * NBD's refusal of a connection: it has no message for one (neither in the handshake nor in transmission),
     * so the connection is closed; the reason is in the backend's log.
     */
    public static final Connection.RefusalForm REFUSAL = (ctx, code, message) -> ctx.close();

    /**
     * @param ssl the server's TLS context, or null when TLS is off
     * @param tlsTimeout how long a TLS handshake may take ({@code limits.idle-timeout})
     * @param decoder this connection's decoder, switched to requests when transmission starts
     */
    public NbdHandshake(Exports exports, SslContext ssl, Duration tlsTimeout, Connection connection,
                        NbdDecoder decoder, io.vblk.metrics.DoorCounters counters) {
        this.counters = counters;
        this.exports = exports;
        this.ssl = ssl;
        this.tlsTimeout = tlsTimeout;
        this.connection = connection;
        this.decoder = decoder;
    }

    /** A server-side TLS handler whose handshake must finish within {@code timeout}, on either door. */
    public static SslHandler tlsHandler(SslContext ssl, ByteBufAllocator alloc, Duration timeout) {
        SslHandler h = ssl.newHandler(alloc);
        h.setHandshakeTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return h;
    }

    /** An export found, or why not: an option error reply type and a message for a person. */
    private record Lookup(Exports.Export export, int error, String message) {}

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // a connection refused by the limit is already closing: no greeting for it
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new NbdReply.Greeting(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES));
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof NbdHandshakeMessage.ClientFlags f) {
            if ((f.flags() & ~KNOWN_CLIENT_FLAGS) != 0) {
                throw new ProtocolException(ErrorCode.MALFORMED,
                        "NBD client flags 0x" + Integer.toHexString(f.flags()) + " include unknown ones");
            }
            noZeroes = (f.flags() & Nbd.FLAG_C_NO_ZEROES) != 0;
        } else if (msg instanceof NbdHandshakeMessage.OversizedOption o) {
            reply(ctx, o.option(), Nbd.REP_ERR_TOO_BIG, "option data of " + o.length() + " bytes is over the limit of "
                    + NbdDecoder.MAX_OPTION_DATA);
        } else if (msg instanceof NbdHandshakeMessage.Option o) {
            option(ctx, o.option(), o.data());
        } else {
            ReferenceCountUtil.release(msg);
            throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME, "NBD request before the handshake finished");
        }
    }

    private void option(ChannelHandlerContext ctx, int option, byte[] data) {
        if (ssl != null && !tls && option != Nbd.OPT_STARTTLS && option != Nbd.OPT_ABORT) {
            if (option == Nbd.OPT_EXPORT_NAME) {
                // EXPORT_NAME cannot be answered with an error: proto.md says terminate
                closeBecause(ctx, "EXPORT_NAME before STARTTLS on a TLS-only door");
            } else {
                reply(ctx, option, Nbd.REP_ERR_TLS_REQD, "this backend requires TLS: send NBD_OPT_STARTTLS first");
            }
            return;
        }
        switch (option) {
            case Nbd.OPT_ABORT -> ctx.writeAndFlush(new NbdReply.OptionReply(option, Nbd.REP_ACK, new byte[0]))
                    .addListener(ChannelFutureListener.CLOSE);
            case Nbd.OPT_LIST -> list(ctx, data);
            case Nbd.OPT_STARTTLS -> startTls(ctx, data);
            case Nbd.OPT_STRUCTURED_REPLY -> {
                if (data.length != 0) {
                    reply(ctx, option, Nbd.REP_ERR_INVALID, "STRUCTURED_REPLY carries no data");
                } else {
                    structured = true;
                    reply(ctx, option, Nbd.REP_ACK, "");
                }
            }
            case Nbd.OPT_INFO, Nbd.OPT_GO -> info(ctx, option, data);
            case Nbd.OPT_EXPORT_NAME -> exportName(ctx, data);
            default -> reply(ctx, option, Nbd.REP_ERR_UNSUP, "option " + option + " is not supported");
        }
    }

    private void list(ChannelHandlerContext ctx, byte[] data) {
        if (data.length != 0) {
            reply(ctx, Nbd.OPT_LIST, Nbd.REP_ERR_INVALID, "LIST carries no data");
        } else if (exports.authRequired()) {
            reply(ctx, Nbd.OPT_LIST, Nbd.REP_ERR_POLICY, "listing exports is off while auth is on");
        } else {
            for (String name : exports.names()) {
                byte[] n = utf8(name);
                ctx.write(new NbdReply.OptionReply(Nbd.OPT_LIST, Nbd.REP_SERVER,
                        ByteBuffer.allocate(4 + n.length).putInt(n.length).put(n).array()));
            }
            reply(ctx, Nbd.OPT_LIST, Nbd.REP_ACK, "");
        }
    }

    private void startTls(ChannelHandlerContext ctx, byte[] data) {
        if (ssl == null) {
            reply(ctx, Nbd.OPT_STARTTLS, Nbd.REP_ERR_POLICY, "TLS is not configured on this backend");
        } else if (tls) {
            reply(ctx, Nbd.OPT_STARTTLS, Nbd.REP_ERR_INVALID, "TLS is already on");
        } else if (data.length != 0) {
            reply(ctx, Nbd.OPT_STARTTLS, Nbd.REP_ERR_INVALID, "STARTTLS carries no data");
        } else {
            // the ACK has passed the pipeline's head in plain text before the TLS handler goes in front of it
            reply(ctx, Nbd.OPT_STARTTLS, Nbd.REP_ACK, "");
            ctx.pipeline().addFirst("tls", tlsHandler(ssl, ctx.alloc(), tlsTimeout));
            tls = true;
        }
    }

    private void info(ChannelHandlerContext ctx, int option, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (data.length < 6) {
            reply(ctx, option, Nbd.REP_ERR_INVALID, "option data too short for a name and an info count");
            return;
        }
        long nameLength = Integer.toUnsignedLong(b.getInt());
        if (nameLength > data.length - 6) {
            reply(ctx, option, Nbd.REP_ERR_INVALID, "name length " + nameLength + " overruns the option data");
            return;
        }
        byte[] name = new byte[(int) nameLength];
        b.get(name);
        int requests = Short.toUnsignedInt(b.getShort());
        if (b.remaining() != 2 * requests) {
            reply(ctx, option, Nbd.REP_ERR_INVALID, requests + " info requests do not match the option's length");
            return;
        }
        Lookup found = lookup(new String(name, StandardCharsets.UTF_8));
        if (found.export() == null) {
            reply(ctx, option, found.error(), found.message());
            return;
        }
        Exports.Export e = found.export();
        ctx.write(info(option, ByteBuffer.allocate(12).putShort((short) Nbd.INFO_EXPORT).putLong(e.size())
                .putShort((short) flags(e))));
        for (int i = 0; i < requests; i++) {
            int type = Short.toUnsignedInt(b.getShort());
            if (type == Nbd.INFO_NAME) {
                ctx.write(info(option, withType(Nbd.INFO_NAME, utf8(e.name()))));
            } else if (type == Nbd.INFO_DESCRIPTION) {
                ctx.write(info(option, withType(Nbd.INFO_DESCRIPTION, utf8(e.description()))));
            }
        }
        // sent whether asked for or not (proto.md allows it): the client must keep to 512-byte units
        ctx.write(info(option, ByteBuffer.allocate(14).putShort((short) Nbd.INFO_BLOCK_SIZE).putInt(MIN_BLOCK)
                .putInt(PREFERRED_BLOCK).putInt(e.maxTransfer())));
        reply(ctx, option, Nbd.REP_ACK, "");
        if (option == Nbd.OPT_GO) {
            transmit(ctx, e);
        }
    }

    private void exportName(ChannelHandlerContext ctx, byte[] data) {
        Lookup found = lookup(new String(data, StandardCharsets.UTF_8));
        if (found.export() == null) {
            // EXPORT_NAME has no error reply: proto.md says terminate
            closeBecause(ctx, "EXPORT_NAME refused: " + found.message());
            return;
        }
        Exports.Export e = found.export();
        ctx.writeAndFlush(new NbdReply.ExportReply(e.size(), flags(e), !noZeroes));
        transmit(ctx, e);
    }

    /**
     * Export name to device. With auth the name is TOKEN/DEVICE, split at the last '/' (device names have
     * none, tokens may); the token is checked first, so a stranger learns no device names, and a wrong one gets
     * the same reply type as an unknown export.
     */
    private Lookup lookup(String requested) {
        String device = requested;
        if (exports.authRequired()) {
            int slash = requested.lastIndexOf('/');
            String token = slash < 0 ? "" : requested.substring(0, slash);
            if (!exports.tokenMatches(token)) {
                return new Lookup(null, Nbd.REP_ERR_UNKNOWN, "authentication failed");
            }
            device = requested.substring(slash + 1);
        }
        Exports.Export e = exports.find(device);
        return e != null ? new Lookup(e, 0, null) : new Lookup(null, Nbd.REP_ERR_UNKNOWN,
                "no export named '" + device + "'; export names are the device names");
    }

    private void transmit(ChannelHandlerContext ctx, Exports.Export e) {
        decoder.transmission(e.maxTransfer());
        connection.settle();
        ctx.pipeline().replace(this, "transmission", new NbdTransmission(exports, e, structured, connection));
    }

    /** Transmission flags of an export: what vblk does for every device, minus writes on a read-only one. */
    static int flags(Exports.Export e) {
        int f = Nbd.FLAG_HAS_FLAGS | Nbd.FLAG_SEND_FLUSH | Nbd.FLAG_CAN_MULTI_CONN;
        return e.readOnly() ? f | Nbd.FLAG_READ_ONLY
                : f | Nbd.FLAG_SEND_FUA | Nbd.FLAG_SEND_TRIM | Nbd.FLAG_SEND_WRITE_ZEROES;
    }

    private static NbdReply.OptionReply info(int option, ByteBuffer payload) {
        return new NbdReply.OptionReply(option, Nbd.REP_INFO, payload.array());
    }

    private static ByteBuffer withType(int type, byte[] text) {
        return ByteBuffer.allocate(2 + text.length).putShort((short) type).put(text);
    }

    private static void reply(ChannelHandlerContext ctx, int option, int type, String message) {
        ctx.writeAndFlush(new NbdReply.OptionReply(option, type, utf8(message)));
    }

    private void closeBecause(ChannelHandlerContext ctx, String why) {
        counters.refused(HANDSHAKE);
        log.warn("{}: closing NBD connection: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
