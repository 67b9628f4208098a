package io.vblk.protocol;

/** Backend's counters as JSON (see io.vblk.result.BackendStats). */
public record StatsReply(String json) implements Frame {
    @Override
    public FrameKind kind() {
        return FrameKind.STATS_REPLY;
    }
}
