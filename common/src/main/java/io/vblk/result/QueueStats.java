package io.vblk.result;

/**
 * Counters of one virtqueue index of a device, summed over the connections attached to it;
 * {@code peakInService} is the most requests one such virtqueue had in service at once.
 */
public record QueueStats(int index, long received, long completed, int peakInService) {}
