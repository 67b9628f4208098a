package io.vblk.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The weighted scheduler between the virtqueues and the store. {@code depth} is the most requests dispatched
 * to the store at once, for every policy, or {@code auto} (latency-driven, {@link Depth}); the io-* keys belong to {@code ioband}, {@code anticipation-timeout}
 * to {@code mclock}. {@code idle} (with {@code inject}) and {@code cost} apply to every policy.
 */
public record SchedulerConfig(Policy policy, Depth depth, Integer ioThrottle, Integer ioLimit, Cost cost,
                              LinearCost linear, Duration idle, Boolean inject, Duration anticipationTimeout) {
    public enum Policy {
        @JsonProperty("fifo") FIFO,
        @JsonProperty("ioband") IOBAND,
        @JsonProperty("sfq") SFQ,
        @JsonProperty("mclock") MCLOCK;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What one request costs: one token, one token per 512-byte sector (dm-ioband's weight-iosize), or
     * io.cost's linear model, a base plus a cost per 4 KiB for reads and writes apart ({@link LinearCost}).
     */
    public enum Cost {
        @JsonProperty("requests") REQUESTS,
        @JsonProperty("bytes") BYTES,
        @JsonProperty("linear") LINEAR
    }

    /**
     * io.cost's linear model in device time: a request costs its base plus its bytes at the per-4 KiB cost,
     * reads and writes apart. With a disk of service-time B and transfer-rate R, base B and per-4k 4096/R
     * charge each request the slot-time the disk gives it.
     */
    public record LinearCost(Duration readBase, Duration readPerPage, Duration writeBase, Duration writePerPage) {
        public static final LinearCost DEFAULT = new LinearCost(null, null, null, null);

        public LinearCost {
            readBase = readBase == null ? Duration.ofNanos(200_000) : readBase;
            readPerPage = readPerPage == null ? Duration.ofNanos(20_000) : readPerPage;
            writeBase = writeBase == null ? Duration.ofNanos(200_000) : writeBase;
            writePerPage = writePerPage == null ? Duration.ofNanos(20_000) : writePerPage;
        }

        void validate(String at, Problems p) {
            positive(p, at, "read-base", readBase);
            nonNegative(p, at, "read-per-page", readPerPage);
            positive(p, at, "write-base", writeBase);
            nonNegative(p, at, "write-per-page", writePerPage);
        }

        private static void positive(Problems p, String at, String key, Duration d) {
            p.require(d.toNanos() > 0 && d.compareTo(Duration.ofSeconds(1)) <= 0, Problems.join(at, key),
                    "must be from 1ns to 1s, got " + Durations.format(d));
        }

        private static void nonNegative(Problems p, String at, String key, Duration d) {
            p.require(!d.isNegative() && d.compareTo(Duration.ofSeconds(1)) <= 0, Problems.join(at, key),
                    "must be from 0s to 1s, got " + Durations.format(d));
        }
    }

    /** The longest {@code idle} and {@code anticipation-timeout}: beyond it a device is simply gone. */
    public static final Duration MAX_IDLE = Duration.ofSeconds(1);

    public static final SchedulerConfig DEFAULT = new SchedulerConfig(null, null, null, null, null);

    /** Every key but these five at its default. */
    public SchedulerConfig(Policy policy, Integer depth, Integer ioThrottle, Integer ioLimit, Cost cost) {
        this(policy, depth == null ? null : Depth.of(depth), ioThrottle, ioLimit, cost, null, null, null, null);
    }

    public SchedulerConfig {
        policy = policy == null ? Policy.FIFO : policy;
        depth = depth == null ? Depth.of(Depth.AUTO_MAX) : depth;
        ioThrottle = ioThrottle == null ? 4 : ioThrottle;
        ioLimit = ioLimit == null ? 128 : ioLimit;
        cost = cost == null ? Cost.REQUESTS : cost;
        linear = linear == null ? LinearCost.DEFAULT : linear;
        idle = idle == null ? Duration.ZERO : idle;
        inject = inject != null && inject;
        anticipationTimeout = anticipationTimeout == null ? Duration.ZERO : anticipationTimeout;
    }

    void validate(String at, Problems p) {
        p.require(depth.valid(), Problems.join(at, "depth"), "must be from 1 to 65536 or auto, got " + depth);
        p.require(ioThrottle >= 1, Problems.join(at, "io-throttle"), "must be at least 1, got " + ioThrottle);
        p.require(ioLimit >= 1, Problems.join(at, "io-limit"), "must be at least 1, got " + ioLimit);
        linear.validate(Problems.join(at, "linear"), p);
        p.require(!idle.isNegative() && idle.compareTo(MAX_IDLE) <= 0, Problems.join(at, "idle"),
                "must be from 0s (off) to 1s, got " + Durations.format(idle));
        p.require(!inject || !idle.isZero(), Problems.join(at, "inject"), "needs idle above 0s: it fills the slots idling leaves");
        p.require(!anticipationTimeout.isNegative() && anticipationTimeout.compareTo(MAX_IDLE) <= 0,
                Problems.join(at, "anticipation-timeout"), "must be from 0s to 1s, got " + Durations.format(anticipationTimeout));
        p.require(anticipationTimeout.isZero() || policy == Policy.MCLOCK, Problems.join(at, "anticipation-timeout"),
                "applies to policy mclock only, got policy " + policy.label());
    }
}
