package io.vblk.protocol;

/**
 * Any peer to backend, without attaching: ask for the backend's counters. It carries the same token as
 * ATTACH (empty without auth) so that a stats connection needs no device to authenticate.
 */
public record StatsQuery(String token) implements Frame {
    public StatsQuery {
        token = token == null ? "" : token;
    }

    public StatsQuery() {
        this("");
    }

    /** Without the token, so that logging a frame never writes a secret. */
    @Override
    public String toString() {
        return "StatsQuery[token=" + (token.isEmpty() ? "none" : "given") + "]";
    }

    @Override
    public FrameKind kind() {
        return FrameKind.STATS_QUERY;
    }
}
