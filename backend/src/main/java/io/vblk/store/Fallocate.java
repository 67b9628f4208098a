package io.vblk.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;

/**
 * fallocate(2) on an image, through JNA's direct mapping of libc: PUNCH_HOLE (the range reads as zeros and
 * its blocks are freed) and ZERO_RANGE (reads as zeros, stays allocated). The image gets a descriptor of
 * its own here; the kernel keeps it coherent with the store's channels, which share the inode's page cache.
 */
final class Fallocate implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int KEEP_SIZE = 0x01;
    private static final int PUNCH_HOLE = 0x02;
    private static final int ZERO_RANGE = 0x10;
    private static final int ENOSPC = 28;
    private static final int EOPNOTSUPP = 95;
    /** Why libc could not be bound, or null when it was. */
    private static final String UNAVAILABLE = bind();

    private final int fd;

    private Fallocate(int fd) {
        this.fd = fd;
    }

    private static String bind() {
        if (!Platform.isLinux()) {
            return "fallocate(2) is Linux only";
        }
        try {
            Native.register(Fallocate.class, Platform.C_LIBRARY_NAME);
            return null;
        } catch (LinkageError e) {
            return "libc could not be bound through JNA: " + e.getMessage();
        }
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int fallocate(int fd, int mode, long offset, long length) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    /** Why this machine cannot call fallocate at all, or null when it can. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /** Opens {@code image} for fallocate calls; {@link #unavailable()} must be null. */
    static Fallocate open(Path image) throws IOException {
        try {
            return new Fallocate(open(image.toString(), O_RDWR | O_CLOEXEC));
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + image + " for fallocate: " + e.getMessage());
        }
    }

    /** Frees the range, which reads as zeros; false when the filesystem cannot punch holes. */
    boolean punchHole(long offset, long length) throws IOException {
        return call(PUNCH_HOLE | KEEP_SIZE, offset, length);
    }

    /** Zeroes the range without writing it; false when the filesystem cannot. */
    boolean zeroRange(long offset, long length) throws IOException {
        return call(ZERO_RANGE | KEEP_SIZE, offset, length);
    }

    private boolean call(int mode, long offset, long length) throws IOException {
        try {
            fallocate(fd, mode, offset, length);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EOPNOTSUPP) {
                return false;
            }
            String why = "fallocate at " + offset + " for " + length + " bytes failed: " + e.getMessage();
            throw e.getErrorCode() == ENOSPC ? new NoSpaceException(why) : new IOException(why);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            close(fd);
        } catch (LastErrorException e) {
            throw new IOException("closing the fallocate descriptor failed: " + e.getMessage());
        }
    }
}
