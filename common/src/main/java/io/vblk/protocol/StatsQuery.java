package io.vblk.protocol;

/** Any peer to backend, before attach: ask for the backend's counters. */
public record StatsQuery() implements Frame {
    @Override
    public FrameKind kind() {
        return FrameKind.STATS_QUERY;
    }
}
