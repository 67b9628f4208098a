package io.vblk.logs;

/** A distribution of counts (requests in service): mean, median, 99th percentile and maximum. */
public record Spread(double mean, long p50, long p99, long max) {}
