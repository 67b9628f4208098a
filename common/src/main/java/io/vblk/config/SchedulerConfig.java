package io.vblk.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The weighted scheduler between the virtqueues and the store. {@code depth} is the most requests dispatched
 * to the store at once, for every policy; the io-* keys belong to {@code ioband}.
 */
public record SchedulerConfig(Policy policy, Integer depth, Integer ioThrottle, Integer ioLimit, Cost cost) {
    public enum Policy {
        @JsonProperty("fifo") FIFO,
        @JsonProperty("ioband") IOBAND,
        @JsonProperty("sfq") SFQ;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one request costs: one token, or one token per 512-byte sector (dm-ioband's weight-iosize). */
    public enum Cost {
        @JsonProperty("requests") REQUESTS,
        @JsonProperty("bytes") BYTES
    }

    public static final SchedulerConfig DEFAULT = new SchedulerConfig(null, null, null, null, null);

    public SchedulerConfig {
        policy = policy == null ? Policy.FIFO : policy;
        depth = depth == null ? 64 : depth;
        ioThrottle = ioThrottle == null ? 4 : ioThrottle;
        ioLimit = ioLimit == null ? 128 : ioLimit;
        cost = cost == null ? Cost.REQUESTS : cost;
    }

    void validate(String at, Problems p) {
        p.require(depth >= 1 && depth <= 65536, Problems.join(at, "depth"), "must be from 1 to 65536, got " + depth);
        p.require(ioThrottle >= 1, Problems.join(at, "io-throttle"), "must be at least 1, got " + ioThrottle);
        p.require(ioLimit >= 1, Problems.join(at, "io-limit"), "must be at least 1, got " + ioLimit);
    }
}
