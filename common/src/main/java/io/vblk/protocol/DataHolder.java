package io.vblk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;

/**
 * A message that owns one reference to its {@link #data} buffer (Netty's {@link ByteBufHolder}, for records):
 * whoever holds the message owns that reference, handing the message on moves it, and releasing the message
 * releases it. Netty's own handlers then release what they drop. Every vblk message that carries a buffer
 * is one; a record implements only {@link #replace}.
 */
public interface DataHolder extends ByteBufHolder {
    /** The buffer this message owns a reference to; empty (and unpooled) when the message carries no data. */
    ByteBuf data();

    /** This message with {@code data} in place of its own, which the new message then owns. */
    @Override
    DataHolder replace(ByteBuf data);

    @Override
    default ByteBuf content() {
        return data();
    }

    @Override
    default DataHolder copy() {
        return replace(data().copy());
    }

    @Override
    default DataHolder duplicate() {
        return replace(data().duplicate());
    }

    @Override
    default DataHolder retainedDuplicate() {
        return replace(data().retainedDuplicate());
    }

    @Override
    default int refCnt() {
        return data().refCnt();
    }

    @Override
    default DataHolder retain() {
        return retain(1);
    }

    @Override
    default DataHolder retain(int increment) {
        data().retain(increment);
        return this;
    }

    @Override
    default DataHolder touch() {
        return touch(null);
    }

    @Override
    default DataHolder touch(Object hint) {
        data().touch(hint);
        return this;
    }

    @Override
    default boolean release() {
        return release(1);
    }

    @Override
    default boolean release(int decrement) {
        return data().release(decrement);
    }
}
