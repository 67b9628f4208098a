package io.vblk.nbd;

import io.netty.buffer.ByteBuf;
import io.vblk.protocol.DataHolder;

/**
 * What the server sends, before the bytes: {@link NbdEncoder} lays them out. The two that carry read data are
 * {@link DataHolder}s: writing one moves its reference to the encoder, which hands it on to the socket, and a
 * handler or a closed channel that drops one releases it.
 */
public sealed interface NbdReply {
    /** NBDMAGIC, IHAVEOPT and the handshake flags. */
    record Greeting(int flags) implements NbdReply {}

    /** A fixed-newstyle option reply; {@code data} may be empty. */
    record OptionReply(int option, int type, byte[] data) implements NbdReply {}

    /** The answer to NBD_OPT_EXPORT_NAME: size, transmission flags and (unless NO_ZEROES) 124 zero bytes. */
    record ExportReply(long size, int flags, boolean zeroes) implements NbdReply {}

    /** A simple reply; {@code data} is the read data of a successful READ, else empty. */
    record SimpleReply(long cookie, int error, ByteBuf data) implements NbdReply, DataHolder {
        @Override
        public SimpleReply replace(ByteBuf data) {
            return new SimpleReply(cookie, error, data);
        }
    }

    /** A structured NBD_REPLY_TYPE_OFFSET_DATA chunk that is also the last one (DONE). */
    record DataChunk(long cookie, long offset, ByteBuf data) implements NbdReply, DataHolder {
        @Override
        public DataChunk replace(ByteBuf data) {
            return new DataChunk(cookie, offset, data);
        }
    }

    /** A structured NBD_REPLY_TYPE_ERROR chunk, the last one (DONE), with a message for a person. */
    record ErrorChunk(long cookie, int error, String message) implements NbdReply {}
}
