package io.vblk.report;

/**
 * A device's think time from its request log: for each of its queues, its requests in the order of their Q,
 * each next Q less the previous R, in µs (the time a flow takes from a reply to its next request).
 * {@code samples} counts those gaps over every run of the variant, its warm-up included; {@code overlapped} how many of them were
 * below 0 (the next request had arrived before the reply: more than one in flight on the queue) and count as
 * 0 in the median and p99. {@code admitMedianUs} and {@code admitP99Us} are the same gaps to the next request's
 * I instead (into the scheduler): what an idling scheduler waits for.
 */
public record ThinkTime(String device, long samples, long overlapped, double medianUs, double p99Us,
                        double admitMedianUs, double admitP99Us) {}
