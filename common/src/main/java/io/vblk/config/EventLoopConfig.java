package io.vblk.config;

import java.time.Duration;

/**
 * The Netty event loops of one side: how many threads (null: the side's default) and how long a loop keeps
 * polling after its last work before it sleeps in epoll_wait. One request in flight makes every round trip
 * wake a sleeping thread, and on a VM whose idle vCPU halts that wake-up costs more than the request; a short
 * spin keeps the thread on its CPU across the round trip and costs nothing once the loop is idle.
 */
public record EventLoopConfig(Integer threads, Duration spin) {
    /** Linux's haltpoll polls up to 200us; one loopback round trip here is 15-60us. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(50_000);
    public static final Duration MAX_SPIN = Duration.ofMillis(10);
    public static final int MAX_THREADS = 256;
    public static final EventLoopConfig DEFAULT = new EventLoopConfig(null, null);

    public EventLoopConfig {
        spin = spin == null ? DEFAULT_SPIN : spin;
    }

    /** The configured thread count, or {@code fallback} when none is set. */
    public int threadsOr(int fallback) {
        return threads == null ? fallback : threads;
    }

    public EventLoopConfig withSpin(Duration s) {
        return new EventLoopConfig(threads, s);
    }

    void validate(String at, Problems p) {
        p.require(threads == null || (threads >= 1 && threads <= MAX_THREADS), Problems.join(at, "threads"),
                "must be from 1 to " + MAX_THREADS + ", got " + threads);
        p.require(!spin.isNegative() && spin.compareTo(MAX_SPIN) <= 0, Problems.join(at, "spin"),
                "must be from 0s (sleep at once) to " + Durations.format(MAX_SPIN) + ", got " + Durations.format(spin));
    }
}
