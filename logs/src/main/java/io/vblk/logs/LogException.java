package io.vblk.logs;

/** A log that cannot be read as asked (missing, unreadable, not a vblk log): one line for the user, no stack trace. */
public final class LogException extends RuntimeException {
    public LogException(String message) {
        super(message, null, false, false);
    }
}
