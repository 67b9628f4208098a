package io.vblk.logs;

/** A latency distribution in microseconds (to the nanosecond): mean, median, 99th percentile and maximum. */
public record Timing(double meanUs, double p50Us, double p99Us, double maxUs) {}
