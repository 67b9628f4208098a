package io.vblk.protocol;

/** Frontend to backend: attach to a device with this many queues; token is empty without auth. */
public record Attach(int version, int queues, String device, String token) implements Frame {
    public Attach {
        if (device == null) {
            throw new IllegalArgumentException("device name is required");
        }
        token = token == null ? "" : token;
    }

    public Attach(int version, int queues, String device) {
        this(version, queues, device, "");
    }

    /** Without the token, so that logging a frame never writes a secret. */
    @Override
    public String toString() {
        return "Attach[version=" + version + ", queues=" + queues + ", device=" + device
                + ", token=" + (token.isEmpty() ? "none" : "given") + "]";
    }

    @Override
    public FrameKind kind() {
        return FrameKind.ATTACH;
    }
}
