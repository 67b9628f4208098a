package io.vblk.store;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Where a device's bytes live. Offsets and lengths are in bytes, already checked against the capacity and
 * the 512-byte sector unit by the caller. Implementations are safe for concurrent use; overlapping
 * concurrent writes land in some order, as on a real disk.
 */
public interface BlockStore extends AutoCloseable {
    long capacity();

    /** True when operations may block on the kernel and so must run on an I/O thread, never an event loop. */
    boolean blocking();

    /** Appends {@code length} bytes read at {@code offset} to {@code dst}. */
    void read(long offset, ByteBuf dst, int length) throws IOException;

    /** Writes the readable bytes of {@code src} at {@code offset}; src's indexes are left as they were. */
    void write(long offset, ByteBuf src) throws IOException;

    /** The range reads as zeros afterwards. */
    void writeZeroes(long offset, long length) throws IOException;

    /** The device may forget the range; vblk's stores make it read as zeros and free what they can. */
    void discard(long offset, long length) throws IOException;

    /** Returns once every write completed before the call is durable. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
