package io.vblk.report;

/**
 * A device's think time from its request log: for each of its queues, the next request's Q less the previous
 * request's R, in µs (the time a flow takes between its reply and its next request). {@code samples} counts
 * those gaps, over every run of the variant; the median and p99 are over all of them.
 */
public record ThinkTime(String device, long samples, double medianUs, double p99Us) {}
