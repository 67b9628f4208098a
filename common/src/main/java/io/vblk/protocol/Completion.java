package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * The device's answer to one request, as a used-ring entry: {@code usedLength} counts the bytes written into
 * device-writable buffers (the read data plus the status byte is the spec's figure; vblk counts the data
 * only, the status travels in its own field). {@code data} holds the read bytes and is owned by this record.
 */
public record Completion(int queue, int descriptor, int status, int usedLength, ByteBuf data)
        implements Frame, ReferenceCounted {

    public static Completion of(int queue, int descriptor, int status) {
        return new Completion(queue, descriptor, status, 0, Unpooled.EMPTY_BUFFER);
    }

    @Override
    public FrameKind kind() {
        return FrameKind.COMPLETION;
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public Completion retain() {
        data.retain();
        return this;
    }

    @Override
    public Completion retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public Completion touch() {
        data.touch();
        return this;
    }

    @Override
    public Completion touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }
}
