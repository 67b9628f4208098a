package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/** Test helpers that move frames through the real Netty handlers, allocating from the test's allocator. */
final class Wire {
    private Wire() {}

    static EmbeddedChannel decoder(ByteBufAllocator alloc, int maxBody) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(maxBody));
        ch.config().setAllocator(alloc);
        return ch;
    }

    /** Writes the frames through {@link FrameEncoder} and returns the buffers it emitted; the caller owns them. */
    static List<ByteBuf> encode(ByteBufAllocator alloc, Frame... frames) {
        EmbeddedChannel encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
        encoder.config().setAllocator(alloc);
        encoder.writeOutbound((Object[]) frames);
        List<ByteBuf> out = new ArrayList<>();
        for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
            out.add(b);
        }
        encoder.finishAndReleaseAll();
        return out;
    }

    /** The frames as they appear on the wire, with every intermediate buffer released. */
    static byte[] bytes(ByteBufAllocator alloc, Frame... frames) {
        List<ByteBuf> parts = encode(alloc, frames);
        int total = parts.stream().mapToInt(ByteBuf::readableBytes).sum();
        byte[] wire = new byte[total];
        int at = 0;
        for (ByteBuf part : parts) {
            int n = part.readableBytes();
            part.readBytes(wire, at, n);
            at += n;
            part.release();
        }
        return wire;
    }

    /** A hand-made envelope for frames the encoder would never produce; the caller appends the body. */
    static ByteBuf envelope(ByteBufAllocator alloc, int magic, int kind, long bodyLength) {
        return alloc.buffer().writeShortLE(magic).writeByte(kind).writeByte(0).writeIntLE((int) bodyLength);
    }

    /** Drains what the decoder produced so far. */
    static List<Frame> decoded(EmbeddedChannel decoder) {
        List<Frame> frames = new ArrayList<>();
        for (Object m; (m = decoder.readInbound()) != null; ) {
            frames.add((Frame) m);
        }
        return frames;
    }

    static void release(List<?> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }
}
