package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link Frame}s. The declared body length is checked against the current bound
 * before a single body byte is buffered, so a peer cannot make us allocate by lying about a length.
 * After the first protocol error every further byte is discarded; the handler that sees the exception closes.
 */
public final class FrameDecoder extends ByteToMessageDecoder implements PartialInput {
    private volatile int maxBody;
    private boolean failed;

    /** @param maxBody largest body accepted until {@link #maxBody(int)} changes it (e.g. after attach) */
    public FrameDecoder(int maxBody) {
        this.maxBody = maxBody;
    }

    public void maxBody(int maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public int buffered() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameCodec.ENVELOPE_BYTES) {
            return;
        }
        int at = in.readerIndex();
        int magic = in.getUnsignedShortLE(at);
        if (magic != FrameCodec.MAGIC) {
            throw fail(in, new ProtocolException(ErrorCode.BAD_MAGIC,
                    String.format("bad magic 0x%04x at stream offset, expected 'VB' (0x%04x)", magic, FrameCodec.MAGIC)));
        }
        int code = in.getUnsignedByte(at + 2);
        FrameKind kind = FrameKind.of(code);
        if (kind == null) {
            throw fail(in, new ProtocolException(ErrorCode.MALFORMED, "unknown frame kind " + code));
        }
        long length = in.getUnsignedIntLE(at + 4);
        long bound = kind == FrameKind.REQUEST || kind == FrameKind.COMPLETION ? maxBody : FrameCodec.MAX_CONTROL_BODY;
        if (length > bound) {
            throw fail(in, new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
                    kind + " frame declares " + length + " body bytes, the limit is " + bound));
        }
        if (in.readableBytes() < FrameCodec.ENVELOPE_BYTES + length) {
            return;
        }
        in.skipBytes(FrameCodec.ENVELOPE_BYTES);
        try {
            out.add(FrameCodec.decodeBody(kind, in, (int) length));
        } catch (ProtocolException e) {
            throw fail(in, e);
        }
    }

    private ProtocolException fail(ByteBuf in, ProtocolException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return e;
    }
}
