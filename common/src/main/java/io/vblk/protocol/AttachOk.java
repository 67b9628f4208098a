package io.vblk.protocol;

/** Backend to frontend: the device exists; these are the features offered and its config block. */
public record AttachOk(int version, long features, BlkConfig config) implements Frame {
    @Override
    public FrameKind kind() {
        return FrameKind.ATTACH_OK;
    }
}
