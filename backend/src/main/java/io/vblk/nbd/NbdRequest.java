package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.vblk.protocol.nbd.Nbd;

/**
 * One transmission-phase request as the client sent it. {@code length} is the u32 from the wire; for WRITE
 * {@code data} holds exactly {@code length} bytes and this record owns one reference to it, otherwise it is
 * empty.
 */
public record NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf data)
        implements ReferenceCounted {

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public NbdRequest retain() {
        data.retain();
        return this;
    }

    @Override
    public NbdRequest retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public NbdRequest touch() {
        data.touch();
        return this;
    }

    @Override
    public NbdRequest touch(Object hint) {
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

    @Override
    public String toString() {
        return "NbdRequest[" + Nbd.commandName(type) + " flags=0x" + Integer.toHexString(flags) + " offset=" + offset
                + " len=" + length + "]";
    }
}
