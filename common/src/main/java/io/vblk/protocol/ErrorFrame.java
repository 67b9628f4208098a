package io.vblk.protocol;

/** A refusal with a reason a person can read; the sender closes the connection after it. */
public record ErrorFrame(ErrorCode code, String message) implements Frame {
    @Override
    public FrameKind kind() {
        return FrameKind.ERROR;
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
