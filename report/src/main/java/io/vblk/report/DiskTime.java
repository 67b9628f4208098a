package io.vblk.report;

/**
 * A device's disk time and bytes from its request log, over every run of the variant, its warm-up included: {@code d2cS} the sum of
 * its requests' D2C (dispatch to completion by the store, including any wait in the emulated disk's own
 * queue) in seconds, {@code bytes} those of its requests that completed OK; each with its share of the
 * variant's devices' total (0..1).
 */
public record DiskTime(String device, double d2cS, double d2cShare, long bytes, double bytesShare) {}
