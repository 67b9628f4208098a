package io.vblk.protocol;

/** The kind byte of the frame envelope. */
public enum FrameKind {
    ATTACH(1), ATTACH_OK(2), ACK(3), REQUEST(4), COMPLETION(5), ERROR(6), STATS_QUERY(7), STATS_REPLY(8);

    private static final FrameKind[] BY_CODE = new FrameKind[9];
    static {
        for (FrameKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    public final int code;

    FrameKind(int code) {
        this.code = code;
    }

    /** The kind for a wire code, or null when the code names no kind. */
    public static FrameKind of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
