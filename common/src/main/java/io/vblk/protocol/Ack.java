package io.vblk.protocol;

/** Frontend to backend: the subset of the offered features the driver uses. */
public record Ack(long features) implements Frame {
    @Override
    public FrameKind kind() {
        return FrameKind.ACK;
    }
}
