package io.vblk.result;

import java.util.List;

/**
 * A device's counters at one instant, cumulative since the backend started: the difference of two snapshots
 * covers the window between them.
 * <ul>
 * <li>{@code inServiceArea}, {@code backlogArea}, {@code heldArea}: time integrals (request-nanoseconds) of
 * the requests in service (admitted, not completed), of those waiting at the scheduler (admitted, not dispatched),
 * and of those held anywhere in the backend (received, not yet answered). Divided by the window's
 * nanoseconds, each is a time-weighted mean.
 * <li>{@code backloggedNanos}: time during which at least one request waited at the scheduler.
 * <li>{@code dispatched}: scheduler decisions for this device; {@code dispatchedAllBacklogged} those taken
 * while every attached device had a request waiting, the only time the weights alone decide.
 * <li>{@code peakInService}: the most requests of the device in service at once, over all connections.
 * <li>{@code idleNanos}, {@code idleArrivals}, {@code idleTimeouts}: with {@code scheduler.idle}, the time the
 * scheduler kept the disk idle for this device, and its idle periods that ended in its next request's arrival
 * or timed out.
 * <li>{@code outstandingArea}: a vhost-user door's view of the guest: the time integral of the chains its
 * driver had made available on the device's vrings and not yet got back, popped or not (0 without a guest).
 * <li>{@code depth}: with {@code scheduler.depth: auto}, the device's latency-driven depth; null otherwise.
 * </ul>
 * The terms are docs/glossary.md's.
 */
public record DeviceStats(String name, int weight, String mode, long received, long completed, long errors,
                          long bytes, int peakInService, long inServiceArea, long backlogArea, long backloggedNanos,
                          long dispatched, long dispatchedAllBacklogged, long heldArea, List<QueueStats> queues,
                          long idleNanos, long idleArrivals, long idleTimeouts, long outstandingArea, Depth depth) {
    /**
     * Latency-driven depth: {@code depth} now (the most of its requests in the scheduler at once), {@code depthArea}
     * its time integral (depth-nanoseconds), {@code latencyMisses} the windows in which the device missed its
     * latency target, and {@code series} its latest changes, oldest first, as pairs [backend nanos, depth].
     */
    public record Depth(int depth, long depthArea, long latencyMisses, List<long[]> series) {}
}
