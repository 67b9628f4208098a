package io.vblk.protocol;

/** Why the backend refused a connection or a frame; sent in an {@link ErrorFrame} before it closes. */
public enum ErrorCode {
    BAD_MAGIC(1), BAD_VERSION(2), UNKNOWN_DEVICE(3), FRAME_TOO_LARGE(4), MALFORMED(5), UNEXPECTED_FRAME(6),
    BAD_QUEUE(7), DESCRIPTOR_IN_USE(8), QUEUE_OVERFLOW(9), BAD_FEATURES(10), AUTH_FAILED(11), LIMIT(12), SHUTDOWN(13);

    public final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return MALFORMED;
    }
}
