package io.vblk.result;

import java.util.List;

/**
 * The backend's counters, as the STATS_REPLY frame carries them; {@code nanos} is the backend's monotonic
 * clock. {@code allBackloggedNanos}: time during which every attached device had a request waiting at the
 * scheduler. {@code dispatchLagNanos}: time during which requests waited while a dispatch was possible but no
 * backend thread had taken it yet: the scheduler below its depth, or an emulated disk slot free by the model
 * while the completion that freed it had not reached the scheduler. {@code diskSlots} and
 * {@code diskBusyNanos}: the emulated disk's parallelism and its modeled busy slot-nanoseconds (both 0
 * without one). All cumulative since the backend started.
 */
public record BackendStats(long nanos, String policy, int depth, long allBackloggedNanos, long dispatchLagNanos,
                           int diskSlots, long diskBusyNanos, List<DeviceStats> devices) {
    public DeviceStats device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name));
    }
}
