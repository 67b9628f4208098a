package io.vblk.metrics;

import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.util.List;

/**
 * What one scrape reads from the backend, taken at once: the counters of {@link BackendStats} (from one
 * scheduler snapshot) and the few figures the metrics add to them. The backend builds it; this package only
 * reads it, so it depends on nothing of the backend's.
 */
public record Reading(BackendStats stats, List<Device> devices, Scheduler scheduler, List<DoorCounters> doors) {
    /** The request types of {@link Device#completedByType} and {@link Device#bytesByType}, in order. */
    public static final List<String> TYPES = List.of("read", "write", "other");

    /**
     * One device: {@code stats} as {@code Backend.stats()} gives it; requests completed and their data bytes by
     * type (read, write, other); requests dropped with their connection; and now: {@code held} (received, not
     * answered), {@code inService} (admitted, not completed), {@code admitted} (of those, waiting at the
     * scheduler), {@code maxInService} (what one queue may have in service: 1 in sync mode).
     */
    public record Device(DeviceStats stats, long[] completedByType, long[] bytesByType, long cancelled, long held,
                         int inService, int admitted, int maxInService, LatencyHistogram q2d, LatencyHistogram d2c) {}

    /**
     * The scheduler: its depth now (live changes move it), requests dispatched now, and its holds (decisions
     * that dispatched nothing while requests waited and the depth had room).
     */
    public record Scheduler(int depth, int dispatchedNow, long holds) {}
}
