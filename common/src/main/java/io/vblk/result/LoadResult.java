package io.vblk.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vblk.result.BackendStats;
import java.util.List;

/**
 * A finished load run: the measured window's length, one result per load spec, the total over them, the
 * backend's counters right when warmup ended and right when the window ended, the verify outcome, requests
 * that never came back, and why the run failed if it did ({@code problems} empty means it did not).
 * {@code window} is what those counters say about the window (backlog, decisions while all were backlogged,
 * requests held per process, dispatch lag, disk busy); the load averages are the host's 1-minute figure when
 * the run started and ended, -1 where the platform has none. {@code intervals} splits the window into
 * {@code --interval}s ({@link Interval}), empty when the run kept no series.
 */
public record LoadResult(@JsonProperty("duration_s") double durationSeconds, List<DeviceResult> devices,
                         DeviceResult total, BackendStats backendStart, BackendStats backendEnd, WindowFigures window,
                         double loadAverageStart, double loadAverageEnd, VerifySummary verify, long lost,
                         List<String> problems, List<Interval> intervals) {
    public LoadResult {
        devices = List.copyOf(devices);
        problems = List.copyOf(problems);
        // a report written before runs kept a series reads back with none
        intervals = intervals == null ? List.of() : List.copyOf(intervals);
    }

    /** A run that kept no per-interval series. */
    public LoadResult(double durationSeconds, List<DeviceResult> devices, DeviceResult total, BackendStats backendStart,
                      BackendStats backendEnd, WindowFigures window, double loadAverageStart, double loadAverageEnd,
                      VerifySummary verify, long lost, List<String> problems) {
        this(durationSeconds, devices, total, backendStart, backendEnd, window, loadAverageStart, loadAverageEnd, verify,
                lost, problems, List.of());
    }

    public boolean succeeded() {
        return problems.isEmpty();
    }

    public DeviceResult device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + name + " in the result"));
    }
}
