package io.vblk.result;

import java.util.List;

/**
 * A device's counters at one instant. {@code inflightArea} and {@code backlogArea} are time integrals
 * (request-nanoseconds) of the requests in the pipeline and of those waiting at the scheduler: the difference
 * of two snapshots divided by the elapsed nanoseconds is the time-weighted mean over that window.
 */
public record DeviceStats(String name, int weight, String mode, long received, long completed, long errors,
                          long bytes, int peakInflight, long inflightArea, long backlogArea, List<QueueStats> queues) {}
