package io.vblk.load;

/**
 * A load run could not start or did not finish cleanly, for a reason a person can act on: the message is
 * one line meant to be printed as it is, and the exit code says whose fault it is.
 */
public final class LoadException extends RuntimeException {
    /** The run started but failed: backend error, lost requests, connection trouble. */
    public static final int RUN_FAILED = 1;
    /** The command line or the config does not fit the backend. */
    public static final int USAGE = 2;

    private final int exitCode;

    private LoadException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static LoadException runFailed(String message) {
        return new LoadException(RUN_FAILED, message);
    }

    public static LoadException usage(String message) {
        return new LoadException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
