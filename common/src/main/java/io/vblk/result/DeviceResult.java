package io.vblk.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

/**
 * One device's figures over the measured window: I/Os completed, their share of all devices' I/Os, rates,
 * and latency from submit to completion. {@code weight} is the device's weight at the backend;
 * {@code errors} counts IOERR, UNSUPP and short reads over the whole run, warmup and drain included.
 */
public record DeviceResult(String name, int weight, long ios, double share, double iops, double mbps, long errors,
                           @JsonProperty("latency_us") Latency latencyUs) {

    /** Rates per second of {@code seconds}; share of {@code allIos}; MB/s in decimal megabytes, as fio prints. */
    public static DeviceResult of(String name, int weight, long ios, long bytes, long errors, Histogram latency,
                                  double seconds, long allIos) {
        double share = allIos == 0 ? 0 : (double) ios / allIos;
        double iops = seconds > 0 ? ios / seconds : 0;
        double mbps = seconds > 0 ? bytes / seconds / 1e6 : 0;
        return new DeviceResult(name, weight, ios, share, iops, mbps, errors, Latency.of(latency));
    }
}
