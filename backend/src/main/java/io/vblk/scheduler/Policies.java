package io.vblk.scheduler;

import io.vblk.config.SchedulerConfig;

/** Builds the {@link Policy} a {@link SchedulerConfig} names. */
public final class Policies {
    private Policies() {}

    /** A fresh policy for flows 0..weights.length-1, weighted by {@code weights} (each at least 1), none reserved or limited. */
    public static Policy create(SchedulerConfig cfg, int[] weights) {
        return create(cfg, weights, new int[weights.length], new int[weights.length]);
    }

    /** The same, mclock's flows reserved and limited in IOPS (0: none). */
    public static Policy create(SchedulerConfig cfg, int[] weights, int[] reservations, int[] limits) {
        CostModel cost = CostModel.of(cfg);
        return switch (cfg.policy()) {
            case FIFO -> new FifoPolicy(weights.length);
            case IOBAND -> new IobandPolicy(weights, cfg.ioThrottle(), cfg.ioLimit(), cost);
            case SFQ -> new SfqPolicy(weights, cost);
            case MCLOCK -> new MclockPolicy(weights, reservations, limits, cfg.anticipationTimeout().toNanos(), cost);
        };
    }

    static void requirePositive(int[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("at least one flow is needed");
        }
        for (int f = 0; f < weights.length; f++) {
            if (weights[f] < 1) {
                throw new IllegalArgumentException("weight of flow " + f + " must be at least 1, got " + weights[f]);
            }
        }
    }
}
