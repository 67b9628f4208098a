package io.vblk.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vblk.result.WindowFigures;

/**
 * One device in one variant, averaged over the repeats. Shares and fractions are 0..1; {@code shareSpreadPp} is
 * the standard deviation of the share over repeats, in percentage points; {@code inServiceMean} and
 * {@code backlogMean} are the backend's time-weighted means of requests in its pipeline and of those waiting
 * at the scheduler. {@code backloggedFraction}, {@code shareBacklogged} and {@code loadHeldFraction} are
 * {@link WindowFigures.DeviceWindow}'s, averaged over the runs that had them (null when none had).
 * {@code concurrency} (the most requests the backend lets it have in service) and {@code feasibleShare} are
 * {@link FeasibleShare}'s; both null when the variant has no model of its disk. {@code idleFraction},
 * {@code idleArrivals} and {@code idleTimeouts} are the scheduler's idling for it ({@code scheduler.idle}), means
 * over the runs: the time it kept the disk for the device, and the idle periods that ended in the device's
 * next request and those that timed out. {@code depth} is its latency-driven depth ({@code scheduler.depth: auto}):
 * the mean over the runs, the least and most of any run, the misses per run rounded, the first run's series; null
 * without it. {@code p50Us} to {@code p999Us} are the frontend-seen latency percentiles in µs, the mean over the
 * runs of each run's ({@link RunFigures.Device}); {@code errors} is the sum over the runs and {@code peakInService}
 * the most of any run.
 */
public record DeviceFigures(String name, int weight, double weightShare, double ios, double share, double shareSpreadPp,
                            double shareErrorPp, double iops, Double p50Us, Double p90Us, double p99Us, Double p999Us,
                            double inServiceMean, double backlogMean, int peakInService, long errors,
                            double backloggedFraction, Double shareBacklogged, Double loadHeldFraction,
                            Integer concurrency, Double feasibleShare, double idleFraction, double idleArrivals,
                            double idleTimeouts, WindowFigures.DepthWindow depth) {
    /**
     * A device the scheduler never idled for, with only its p99 known: a request log's summary, which has no
     * idle periods, and whose explanation reads no other percentile (they are null).
     */
    public DeviceFigures(String name, int weight, double weightShare, double ios, double share, double shareSpread,
                         double shareErrorPp, double iops, double p99Us, double inServiceMean, double backlogMean,
                         int peakInService, long errors, double backloggedFraction, Double shareBacklogged,
                         Double loadHeldFraction, Integer concurrency, Double feasibleShare) {
        this(name, weight, weightShare, ios, share, shareSpread, shareErrorPp, iops, null, null, p99Us, null,
                inServiceMean, backlogMean, peakInService, errors, backloggedFraction, shareBacklogged, loadHeldFraction,
                concurrency, feasibleShare, 0, 0, 0, null);
    }

    /** The all-backlogged share's error against the weight share, in pp; null when there is no such share. */
    public Double shareBackloggedErrorPp() {
        return shareBacklogged == null ? null : 100 * (shareBacklogged - weightShare);
    }

    /** Weight share less feasible share, in pp: the part of the error the backend's concurrency makes. */
    @JsonProperty("concurrency_gap_pp")
    public Double concurrencyGapPp() {
        return feasibleShare == null ? null : 100 * (weightShare - feasibleShare);
    }

    /** Feasible share less achieved share, in pp: the part of the error the scheduler makes (or gives back). */
    @JsonProperty("scheduler_gap_pp")
    public Double schedulerGapPp() {
        return feasibleShare == null ? null : 100 * (feasibleShare - share);
    }
}
