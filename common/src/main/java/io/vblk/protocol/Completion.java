package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The device's answer to one request, as a used-ring entry: {@code usedLength} counts the bytes written into
 * device-writable buffers (the read data plus the status byte is the spec's figure; vblk counts the data
 * only, the status travels in its own field). {@code data} holds the read bytes and is owned by this record.
 */
public record Completion(int queue, int descriptor, int status, int usedLength, ByteBuf data)
        implements Frame, DataHolder {

    public static Completion of(int queue, int descriptor, int status) {
        return new Completion(queue, descriptor, status, 0, Unpooled.EMPTY_BUFFER);
    }

    @Override
    public FrameKind kind() {
        return FrameKind.COMPLETION;
    }

    @Override
    public Completion replace(ByteBuf data) {
        return new Completion(queue, descriptor, status, usedLength, data);
    }
}
