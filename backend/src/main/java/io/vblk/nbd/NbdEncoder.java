package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.vblk.protocol.nbd.Nbd;
import java.nio.charset.StandardCharsets;

/**
 * Lays out {@link NbdReply}s as NBD bytes (big-endian), data buffers without copying; that is all it does.
 * Raw ByteBufs pass through.
 */
@Sharable
public final class NbdEncoder extends ChannelOutboundHandlerAdapter {
    public static final NbdEncoder INSTANCE = new NbdEncoder();

    private NbdEncoder() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof NbdReply r) {
            encode(ctx, r, promise);
        } else if (msg instanceof ByteBuf) {
            ctx.write(msg, promise);
        } else {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new IllegalStateException("no NBD form for " + msg.getClass().getSimpleName()));
        }
    }

    private static void encode(ChannelHandlerContext ctx, NbdReply reply, ChannelPromise promise) {
        if (reply instanceof NbdReply.SimpleReply s) {
            withData(ctx, ctx.alloc().buffer(Nbd.SIMPLE_REPLY_BYTES)
                    .writeInt(Nbd.SIMPLE_REPLY_MAGIC).writeInt(s.error()).writeLong(s.cookie()), s.data(), promise);
        } else if (reply instanceof NbdReply.DataChunk d) {
            withData(ctx, chunkHeader(ctx, Nbd.REPLY_TYPE_OFFSET_DATA, d.cookie(), 8 + d.data().readableBytes(), 8)
                    .writeLong(d.offset()), d.data(), promise);
        } else if (reply instanceof NbdReply.ErrorChunk e) {
            byte[] text = e.message().getBytes(StandardCharsets.UTF_8);
            int n = Math.min(text.length, 4096);
            ctx.write(chunkHeader(ctx, Nbd.REPLY_TYPE_ERROR, e.cookie(), 6 + n, 6 + n)
                    .writeInt(e.error()).writeShort(n).writeBytes(text, 0, n), promise);
        } else if (reply instanceof NbdReply.OptionReply o) {
            ctx.write(ctx.alloc().buffer(20 + o.data().length).writeLong(Nbd.REPLY_MAGIC).writeInt(o.option())
                    .writeInt(o.type()).writeInt(o.data().length).writeBytes(o.data()), promise);
        } else if (reply instanceof NbdReply.ExportReply e) {
            ByteBuf b = ctx.alloc().buffer(10 + (e.zeroes() ? Nbd.EXPORT_NAME_ZEROES : 0))
                    .writeLong(e.size()).writeShort(e.flags());
            if (e.zeroes()) {
                b.writeZero(Nbd.EXPORT_NAME_ZEROES);
            }
            ctx.write(b, promise);
        } else if (reply instanceof NbdReply.Greeting g) {
            ctx.write(ctx.alloc().buffer(18).writeLong(Nbd.NBDMAGIC).writeLong(Nbd.IHAVEOPT).writeShort(g.flags()),
                    promise);
        }
    }

    private static ByteBuf chunkHeader(ChannelHandlerContext ctx, int type, long cookie, int length, int room) {
        return ctx.alloc().buffer(Nbd.CHUNK_HEADER_BYTES + room).writeInt(Nbd.STRUCTURED_REPLY_MAGIC)
                .writeShort(Nbd.REPLY_FLAG_DONE).writeShort(type).writeLong(cookie).writeInt(length);
    }

    // the head goes first; the data buffer's reference passes to the write, which releases it once sent
    private static void withData(ChannelHandlerContext ctx, ByteBuf head, ByteBuf data, ChannelPromise promise) {
        if (!data.isReadable()) {
            data.release();
            ctx.write(head, promise);
            return;
        }
        ctx.write(head, ctx.voidPromise());
        ctx.write(data, promise);
    }
}
