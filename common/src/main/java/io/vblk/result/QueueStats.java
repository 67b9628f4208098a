package io.vblk.result;

/** Counters of one virtqueue index of a device, summed over the connections attached to it. */
public record QueueStats(int index, long received, long completed, int peakInflight) {}
