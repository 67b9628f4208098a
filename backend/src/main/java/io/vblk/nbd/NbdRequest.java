package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.vblk.protocol.DataHolder;
import io.vblk.protocol.nbd.Nbd;

/**
 * One transmission-phase request as the client sent it. {@code length} is the u32 from the wire; for WRITE
 * {@code data} holds exactly {@code length} bytes and this record owns one reference to it, otherwise it is
 * empty.
 */
public record NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf data)
        implements DataHolder {

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public NbdRequest replace(ByteBuf data) {
        return new NbdRequest(flags, type, cookie, offset, length, data);
    }

    @Override
    public String toString() {
        return "NbdRequest[" + Nbd.commandName(type) + " flags=0x" + Integer.toHexString(flags) + " offset=" + offset
                + " len=" + length + "]";
    }
}
