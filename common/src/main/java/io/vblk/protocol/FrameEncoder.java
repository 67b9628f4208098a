package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Writes a frame as its head plus, for requests and completions, its payload without copying it. */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        out.add(FrameCodec.encodeHead(ctx.alloc(), frame));
        ByteBuf payload = FrameCodec.payload(frame);
        if (payload != null) {
            // the encoder releases the frame after encode(): keep the payload alive for the write
            out.add(payload.retain());
        }
    }
}
