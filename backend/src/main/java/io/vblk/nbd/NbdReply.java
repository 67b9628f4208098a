package io.vblk.nbd;

import io.netty.buffer.ByteBuf;

/**
 * What the server sends, before the bytes: {@link NbdEncoder} lays them out and releases the data buffers
 * these records carry (nothing sits between the writer and the encoder that could drop them).
 */
public sealed interface NbdReply {
    /** NBDMAGIC, IHAVEOPT and the handshake flags. */
    record Greeting(int flags) implements NbdReply {}

    /** A fixed-newstyle option reply; {@code data} may be empty. */
    record OptionReply(int option, int type, byte[] data) implements NbdReply {}

    /** The answer to NBD_OPT_EXPORT_NAME: size, transmission flags and (unless NO_ZEROES) 124 zero bytes. */
    record ExportReply(long size, int flags, boolean zeroes) implements NbdReply {}

    /** A simple reply; {@code data} is the read data of a successful READ, else empty. */
    record SimpleReply(long cookie, int error, ByteBuf data) implements NbdReply {}

    /** A structured NBD_REPLY_TYPE_OFFSET_DATA chunk that is also the last one (DONE). */
    record DataChunk(long cookie, long offset, ByteBuf data) implements NbdReply {}

    /** A structured NBD_REPLY_TYPE_ERROR chunk, the last one (DONE), with a message for a person. */
    record ErrorChunk(long cookie, int error, String message) implements NbdReply {}
}
