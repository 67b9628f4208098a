package io.vblk.result;

import java.util.List;

/** The backend's counters, as the STATS_REPLY frame carries them; {@code nanos} is the backend's monotonic clock. */
public record BackendStats(long nanos, String policy, int depth, List<DeviceStats> devices) {
    public DeviceStats device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name));
    }
}
