package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler on the vblk port: tells a client that is not vblk's by its first bytes, or by its silence,
 * and closes it at once with one WARN line naming what it looked like. Without it an NBD client (which sends
 * nothing: NBD's server speaks first) waited for the handshake deadline and saw no reason, and an HTTP or TLS
 * client got an ERROR frame it cannot read. Once the first bytes are vblk's (with TLS on: a TLS record's) it
 * hands them on and leaves the pipeline: only a connection's first bytes are judged. Event loop only.
 */
final class WrongDoor extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(WrongDoor.class);
    private static final ThrottledLog lines = new ThrottledLog(log, 10);
    // bytes judged at most, and shown in a line: enough for the longest prefix below and an HTTP request line
    private static final int LOOK = 32;
    private static final String VBLK = "VB";
    private static final String TLS = "\u0016\u0003";

    /** What a client whose first bytes start with {@code prefix} (Latin-1) is. */
    private record Lookalike(String prefix, String what) {}

    private static final List<Lookalike> LOOKALIKES = List.of(
            new Lookalike("IHAVEOPT", "NBD"), new Lookalike("NBDMAGIC", "NBD"),
            new Lookalike("\u0025\u0060\u0095\u0013", "NBD"),
            new Lookalike("GET ", "HTTP"), new Lookalike("HEAD ", "HTTP"), new Lookalike("POST ", "HTTP"),
            new Lookalike("PUT ", "HTTP"), new Lookalike("DELETE ", "HTTP"), new Lookalike("OPTIONS ", "HTTP"),
            new Lookalike("PATCH ", "HTTP"), new Lookalike("CONNECT ", "HTTP"), new Lookalike("TRACE ", "HTTP"),
            new Lookalike("PRI * HTTP/2", "HTTP/2"), new Lookalike("SSH-", "SSH"),
            new Lookalike(TLS, "TLS"), new Lookalike(VBLK, "plain vblk"));

    /** The refusal reason of a client of another protocol (or without the TLS the door takes) in the metrics. */
    static final String WRONG_DOOR = "wrong_door";

    private final boolean tls;
    private final Duration silence;
    private final Supplier<String> nbdDoor;
    private final io.vblk.metrics.DoorCounters counters;
    private ScheduledFuture<?> timer;
    private boolean judged;

    /**
     * @param tls whether the port takes TLS, so that a TLS record is what its clients send first
     * @param silence how long a client may say nothing after connecting ({@code limits.first-byte-timeout})
     * @param nbdDoor the NBD door's address, or null when there is none; asked when a line names it
     */
    WrongDoor(boolean tls, Duration silence, Supplier<String> nbdDoor, io.vblk.metrics.DoorCounters counters) {
        this.counters = counters;
        this.tls = tls;
        this.silence = silence;
        this.nbdDoor = nbdDoor;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timer = ctx.executor().schedule(() -> silent(ctx), silence.toNanos(), TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (judged) {
            in.skipBytes(in.readableBytes());
            return;
        }
        String first = first(in);
        String expected = tls ? TLS : VBLK;
        if (first.startsWith(expected)) {
            pass(ctx);
        } else if (!expected.startsWith(first)) {
            // a prefix of a known protocol's start may still become it; the silence timer bounds the wait
            boolean couldBecome = first.length() < LOOK
                    && LOOKALIKES.stream().anyMatch(l -> l.prefix().length() > first.length() && l.prefix().startsWith(first));
            if (!couldBecome || LOOKALIKES.stream().anyMatch(l -> first.startsWith(l.prefix()))) {
                refuse(ctx, in, first);
            }
        }
    }

    // a client that closed before its first bytes were judged needs no line: it has gone
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        in.skipBytes(in.readableBytes());
    }

    private void silent(ChannelHandlerContext ctx) {
        timer = null;
        if (judged || !ctx.channel().isActive()) {
            return;
        }
        ByteBuf held = internalBuffer();
        String first = first(held);
        if (first.isEmpty()) {
            judged = true;
            counters.refused(WRONG_DOOR);
            String door = nbdDoor.get();
            lines.warn("{}: NBD client on the vblk port (silent for {} ms after connecting, as an NBD client is: NBD's "
                            + "server speaks first); {}; closed", ctx.channel().remoteAddress(), silence.toMillis(),
                    door == null ? "this backend has no NBD door (nbd: {port: 10809} in its config opens one)"
                            : "the NBD door is on " + door);
            ctx.close();
        } else if ((tls ? TLS : VBLK).startsWith(first)) {
            // vblk's first byte, then a stall: the handshake deadline words that
            pass(ctx);
        } else {
            refuse(ctx, held, first);
        }
    }

    private void pass(ChannelHandlerContext ctx) {
        judged = true;
        cancel();
        // what was held is handed on as the removal's read
        ctx.pipeline().remove(this);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String first) {
        judged = true;
        counters.refused(WRONG_DOOR);
        cancel();
        in.skipBytes(in.readableBytes());
        String what = LOOKALIKES.stream().filter(l -> first.startsWith(l.prefix())).map(Lookalike::what).findFirst()
                .orElse(null);
        Object peer = ctx.channel().remoteAddress();
        if (what == null) {
            lines.warn("{}: not a vblk client on the vblk port (first bytes {}; vblk's start with {}); closed", peer,
                    hex(first), tls ? "a TLS record, 16 03" : "'VB', 56 42");
        } else if (what.equals("NBD")) {
            String door = nbdDoor.get();
            lines.warn("{}: NBD client on the vblk port (it sent {}); {}; closed", peer, shown(first),
                    door == null ? "this backend has no NBD door" : "the NBD door is on " + door);
        } else if (what.equals("TLS")) {
            lines.warn("{}: TLS client on the vblk port, which takes no TLS (the backend config has no tls: section); closed",
                    peer);
        } else if (what.equals("plain vblk")) {
            lines.warn("{}: vblk client without TLS on the vblk port, which takes TLS only (tls: in the backend config); "
                    + "closed", peer);
        } else {
            lines.warn("{}: {} client on the vblk port (it sent {}); vblk speaks its own binary frames; closed", peer, what,
                    shown(first));
        }
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static String first(ByteBuf in) {
        return in.toString(in.readerIndex(), Math.min(in.readableBytes(), LOOK), StandardCharsets.ISO_8859_1);
    }

    // the first line of a text protocol, quoted, as far as it was read
    private static String shown(String first) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : first.toCharArray()) {
            if (c == '\r' || c == '\n') {
                break;
            }
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.append('"').toString();
    }

    private static String hex(String first) {
        StringBuilder b = new StringBuilder();
        for (char c : first.toCharArray()) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%02x", (int) c));
        }
        return b.toString();
    }
}
