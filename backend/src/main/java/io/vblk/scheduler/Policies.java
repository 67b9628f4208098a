package io.vblk.scheduler;

import io.vblk.config.SchedulerConfig;

/** Builds the {@link Policy} a {@link SchedulerConfig} names, and holds the cost rule the weighted ones share. */
public final class Policies {
    /** Bytes per token when cost is bytes: one 512-byte sector, as dm-ioband's weight-iosize counts. */
    static final long SECTOR = 512;

    private Policies() {}

    /** A fresh policy for flows 0..weights.length-1, weighted by {@code weights} (each at least 1). */
    public static Policy create(SchedulerConfig cfg, int[] weights) {
        return switch (cfg.policy()) {
            case FIFO -> new FifoPolicy(weights.length);
            case IOBAND -> new IobandPolicy(weights, cfg.ioThrottle(), cfg.ioLimit(), cfg.cost());
            case SFQ -> new SfqPolicy(weights, cfg.cost());
        };
    }

    /** What a ticket costs: 1 per request, or 1 per whole 512-byte sector and at least 1. */
    static long cost(Ticket t, SchedulerConfig.Cost cost) {
        return cost == SchedulerConfig.Cost.BYTES ? Math.max(1, t.bytes / SECTOR) : 1;
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
