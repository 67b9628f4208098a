package io.vblk.config;

import java.time.Duration;

/**
 * What one client may cost the backend: connections at once, how long a connection may sit on a partial
 * frame (or say nothing before attaching), how long a vblk client may say nothing at all before it is taken for
 * an NBD client (whose server speaks first) at the wrong door, and the bytes of requests and replies it may have buffered in the
 * backend before the backend stops reading from it.
 */
public record LimitsConfig(Integer maxConnections, Duration idleTimeout, ByteSize maxConnectionMemory,
                           Duration firstByteTimeout) {
    public static final LimitsConfig DEFAULT = new LimitsConfig(null, null, null, null);

    public LimitsConfig {
        maxConnections = maxConnections == null ? 1024 : maxConnections;
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(30) : idleTimeout;
        maxConnectionMemory = maxConnectionMemory == null ? ByteSize.of(64L << 20) : maxConnectionMemory;
        firstByteTimeout = firstByteTimeout == null ? Duration.ofSeconds(2) : firstByteTimeout;
    }

    void validate(String at, Problems p) {
        p.require(maxConnections >= 1, Problems.join(at, "max-connections"), "must be at least 1, got " + maxConnections);
        p.require(!idleTimeout.isNegative() && !idleTimeout.isZero(), Problems.join(at, "idle-timeout"),
                "must be a positive duration, e.g. 30s");
        p.require(maxConnectionMemory.bytes() >= (1L << 20), Problems.join(at, "max-connection-memory"),
                "must be at least 1MiB, got " + maxConnectionMemory);
        p.require(!firstByteTimeout.isNegative() && !firstByteTimeout.isZero(), Problems.join(at, "first-byte-timeout"),
                "must be a positive duration, e.g. 2s");
    }
}
