package io.vblk.scheduler;

import io.vblk.config.SchedulerConfig;

/** Builds the policy a config names. */
public final class Policies {
    private Policies() {}

    public static Policy create(SchedulerConfig cfg, int[] weights) {
        return switch (cfg.policy()) {
            case FIFO -> new FifoPolicy(weights.length);
            default -> throw new IllegalArgumentException("policy " + cfg.policy().label() + " is not built yet");
        };
    }
}
