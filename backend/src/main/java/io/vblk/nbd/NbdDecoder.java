package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.PartialInput;
import io.vblk.protocol.ProtocolException;
import io.vblk.protocol.nbd.Nbd;
import java.util.List;

/**
 * Splits an NBD client's bytes into the client flags, options ({@link NbdHandshakeMessage}) and, once
 * {@link #transmission} is called, {@link NbdRequest}s. Every length is checked before its bytes are
 * buffered: option data over {@link #MAX_OPTION_DATA} is skipped as it arrives (the handshake answers
 * NBD_REP_ERR_TOO_BIG); a WRITE payload over the export's maximum is a framing violation. After one,
 * every further byte is discarded and the exception closes the connection.
 */
public final class NbdDecoder extends ByteToMessageDecoder implements PartialInput {
    /** The most option data buffered: a 4096-byte name (proto.md's string bound) plus INFO/GO's fields. */
    public static final int MAX_OPTION_DATA = 4096 + 1024;

    private enum State { CLIENT_FLAGS, OPTIONS, SKIPPING, REQUESTS, FAILED }

    private State state = State.CLIENT_FLAGS;
    private int maxPayload;
    private int skippedOption;
    private long skipLength;
    private long skipLeft;

    /** From now on the bytes are requests; WRITE payloads may be up to {@code maxPayload}. Event loop only. */
    public void transmission(int maxPayload) {
        this.maxPayload = maxPayload;
        state = State.REQUESTS;
    }

    @Override
    public int buffered() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case CLIENT_FLAGS -> {
                if (in.readableBytes() >= 4) {
                    out.add(new NbdHandshakeMessage.ClientFlags(in.readInt()));
                    state = State.OPTIONS;
                }
            }
            case OPTIONS -> option(in, out);
            case SKIPPING -> skip(in, out);
            case REQUESTS -> request(in, out);
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private void option(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < Nbd.OPTION_HEADER_BYTES) {
            return;
        }
        int at = in.readerIndex();
        long magic = in.getLong(at);
        if (magic != Nbd.IHAVEOPT) {
            throw fail(in, new ProtocolException(ErrorCode.BAD_MAGIC,
                    String.format("NBD option magic 0x%016x, expected IHAVEOPT (0x%016x)", magic, Nbd.IHAVEOPT)));
        }
        int option = in.getInt(at + 8);
        long length = in.getUnsignedInt(at + 12);
        if (length > MAX_OPTION_DATA) {
            in.skipBytes(Nbd.OPTION_HEADER_BYTES);
            skippedOption = option;
            skipLength = length;
            skipLeft = length;
            state = State.SKIPPING;
            skip(in, out);
            return;
        }
        if (in.readableBytes() < Nbd.OPTION_HEADER_BYTES + length) {
            return;
        }
        in.skipBytes(Nbd.OPTION_HEADER_BYTES);
        byte[] data = new byte[(int) length];
        in.readBytes(data);
        out.add(new NbdHandshakeMessage.Option(option, data));
    }

    private void skip(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(skipLeft, in.readableBytes());
        in.skipBytes(n);
        skipLeft -= n;
        if (skipLeft == 0) {
            state = State.OPTIONS;
            out.add(new NbdHandshakeMessage.OversizedOption(skippedOption, skipLength));
        }
    }

    private void request(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < Nbd.REQUEST_HEADER_BYTES) {
            return;
        }
        int at = in.readerIndex();
        int magic = in.getInt(at);
        if (magic != Nbd.REQUEST_MAGIC) {
            throw fail(in, new ProtocolException(ErrorCode.BAD_MAGIC,
                    String.format("NBD request magic 0x%08x, expected 0x%08x", magic, Nbd.REQUEST_MAGIC)));
        }
        int flags = in.getUnsignedShort(at + 4);
        int type = in.getUnsignedShort(at + 6);
        long cookie = in.getLong(at + 8);
        long offset = in.getLong(at + 16);
        long length = in.getUnsignedInt(at + 24);
        ByteBuf data = Unpooled.EMPTY_BUFFER;
        if (type == Nbd.CMD_WRITE) {
            if (length > maxPayload) {
                throw fail(in, new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
                        "NBD WRITE of " + length + " bytes, over the export's maximum block size of " + maxPayload));
            }
            if (in.readableBytes() < Nbd.REQUEST_HEADER_BYTES + length) {
                return;
            }
            in.skipBytes(Nbd.REQUEST_HEADER_BYTES);
            data = in.readRetainedSlice((int) length);
        } else {
            in.skipBytes(Nbd.REQUEST_HEADER_BYTES);
        }
        out.add(new NbdRequest(flags, type, cookie, offset, length, data));
    }

    private ProtocolException fail(ByteBuf in, ProtocolException e) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        return e;
    }
}
