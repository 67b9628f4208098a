package io.vblk.admin;

/**
 * A change refused, with the status the endpoint answers: 400 a value the config loader would refuse (in its
 * words), 404 an unknown device, 409 a change that would break an invariant (with the reason).
 */
public final class ControlException extends Exception {
    public static final int BAD_VALUE = 400;
    public static final int UNKNOWN_TARGET = 404;
    public static final int REFUSED = 409;

    private final int status;

    public ControlException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
