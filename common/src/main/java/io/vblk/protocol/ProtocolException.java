package io.vblk.protocol;

/** A peer broke the protocol; the connection answers with an {@link ErrorFrame} of this code and closes. */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorFrame toFrame() {
        return new ErrorFrame(code, getMessage());
    }
}
