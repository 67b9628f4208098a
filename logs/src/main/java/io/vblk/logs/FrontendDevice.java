package io.vblk.logs;

import java.util.Map;

/** One device's figures in a frontend log; {@code bytes} and the submit-to-complete latency cover OK records only. */
public record FrontendDevice(String name, long ios, double share, double iops, long bytes, Map<String, Long> errors,
                             Timing latency) {}
