package io.vblk.report;

/**
 * One device in one variant, averaged over the repeats. Shares and fractions are 0..1; {@code shareSpread} is
 * the standard deviation of the share over repeats, in percentage points; {@code inflightMean} and
 * {@code backlogMean} are the backend's time-weighted means of requests in its pipeline and of those waiting
 * at the scheduler. {@code backloggedFraction}, {@code shareBacklogged} and {@code loadHeldFraction} are
 * {@link WindowFigures.DeviceWindow}'s, averaged over the runs that had them (null when none had).
 */
public record DeviceFigures(String name, int weight, double weightShare, double ios, double share, double shareSpread,
                            double shareErrorPp, double iops, double p99Us, double inflightMean, double backlogMean,
                            int peakInflight, long errors, double backloggedFraction, Double shareBacklogged,
                            Double loadHeldFraction) {
    /** The all-backlogged share's error against the weight share, in pp; null when there is no such share. */
    public Double shareBackloggedErrorPp() {
        return shareBacklogged == null ? null : 100 * (shareBacklogged - weightShare);
    }
}
