package io.vblk.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one cell measured over its window: I/Os and IOPS (all devices together), latency percentiles from
 * submit to completion as the frontend saw them (microseconds, HdrHistogram), and the CPU time each process
 * spent in the window, also per million I/Os. {@code errors} counts failed requests (always 0 on a RAM store).
 */
public record CellResult(String rw, @JsonProperty("outstanding_per_device") int outstandingPerDevice, int devices,
                         String policy, String mode, @JsonProperty("duration_s") double durationSeconds, long ios,
                         double iops, @JsonProperty("p50_us") long p50Us, @JsonProperty("p99_us") long p99Us,
                         @JsonProperty("p999_us") long p999Us, @JsonProperty("backend_cpu_s") double backendCpuSeconds,
                         @JsonProperty("frontend_cpu_s") double frontendCpuSeconds,
                         @JsonProperty("backend_cpu_s_per_mio") double backendCpuPerMillion,
                         @JsonProperty("frontend_cpu_s_per_mio") double frontendCpuPerMillion, long errors) {

    static CellResult of(Cell c, double seconds, long ios, double iops, long p50, long p99, long p999,
                         double backendCpu, double frontendCpu, long errors) {
        return new CellResult(c.rw().label(), c.outstanding(), c.devices(), c.policy().label(), c.mode().label(), seconds,
                ios, iops, p50, p99, p999, backendCpu, frontendCpu, perMillion(backendCpu, ios), perMillion(frontendCpu, ios),
                errors);
    }

    static double perMillion(double cpuSeconds, long ios) {
        return ios == 0 ? 0 : cpuSeconds / ios * 1e6;
    }

    /** True when both describe the same measurement point (rw, depth, devices, mode), policies aside. */
    boolean samePoint(CellResult o) {
        return rw.equals(o.rw) && outstandingPerDevice == o.outstandingPerDevice && devices == o.devices && mode.equals(o.mode);
    }
}
