package io.vblk.report;

/**
 * One device in one variant, averaged over the repeats. Shares are fractions (0..1); {@code shareSpread} is
 * the standard deviation of the share over repeats, in percentage points; {@code inflightMean} and
 * {@code backlogMean} are the backend's time-weighted means of requests in its pipeline and of those waiting
 * at the scheduler.
 */
public record DeviceFigures(String name, int weight, double weightShare, double ios, double share, double shareSpread,
                            double shareErrorPp, double iops, double p99Us, double inflightMean, double backlogMean,
                            int peakInflight, long errors) {}
