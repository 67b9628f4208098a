package io.vblk.protocol;

/**
 * One message of the vblk wire protocol. {@link FrameCodec} documents the byte layout.
 * Frames that carry a payload ({@link BlkRequest}, {@link Completion}) own one reference to it.
 */
public sealed interface Frame permits Attach, AttachOk, Ack, BlkRequest, Completion, ErrorFrame, StatsQuery, StatsReply {
    FrameKind kind();
}
