package io.vblk.store;

import java.io.IOException;

/**
 * The filesystem under a store is full (ENOSPC). Doors that can say so report it as such: NBD_ENOSPC, on
 * which QEMU's default {@code werror=enospc} pauses the guest rather than failing its I/O.
 */
public final class NoSpaceException extends IOException {
    NoSpaceException(String message) {
        super(message);
    }

    /** {@code e} itself, or a NoSpaceException if the JDK reported ENOSPC in its message (it gives no errno). */
    static IOException classify(IOException e) {
        return e instanceof NoSpaceException || !String.valueOf(e.getMessage()).contains("No space left on device")
                ? e : new NoSpaceException(e.getMessage());
    }
}
