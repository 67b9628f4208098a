package io.vblk.report;

import java.util.List;
import java.util.Map;

/**
 * The measured outcome of one variant, and the sentences that explain it from those measurements.
 *
 * @param allBackloggedFraction mean over runs of the time every device had a request waiting
 * @param dispatchLag the largest over runs (the worst run decides whether the host kept up)
 * @param diskUtilization mean over runs; null without an emulated disk
 * @param loadAverageStart the host's 1-minute load average when the first run started; -1 where unknown
 * @param loadAverageEnd the same when the last run ended
 * @param feasible the feasible share of each device and how it was obtained; null when unknown
 * @param hostLimit why the host, not the backend's concurrency or the scheduler, limited a run; null when
 *     every run kept up with its load
 * @param thinkTimes each device's think time from the runs' request logs ({@link ThinkTime}); empty when the
 *     variant had none read
 * @param diskTimes each device's sum of D2C and bytes from the same logs ({@link DiskTime}); empty likewise
 * @param runs each run's own figures, in the order they ran: the means above are taken over these
 */
public record VariantResult(String label, Map<String, String> keys, String mode, String policy, int repeats,
                            List<DeviceFigures> devices, double jain, double maxShareErrorPp,
                            double allBackloggedFraction, double dispatchLag, Double diskUtilization,
                            double loadAverageStart, double loadAverageEnd, FeasibleShare.Model feasible,
                            String hostLimit, String explanation, List<ThinkTime> thinkTimes,
                            List<DiskTime> diskTimes, List<RunFigures> runs) {
    public VariantResult {
        thinkTimes = List.copyOf(thinkTimes);
        diskTimes = List.copyOf(diskTimes);
        runs = List.copyOf(runs);
    }

    /** A variant without figures from a request log (none was read) nor its runs' own (a made-up one). */
    public VariantResult(String label, Map<String, String> keys, String mode, String policy, int repeats,
                         List<DeviceFigures> devices, double jain, double maxShareErrorPp, double allBackloggedFraction,
                         double dispatchLag, Double diskUtilization, double loadAverageStart, double loadAverageEnd,
                         FeasibleShare.Model feasible, String hostLimit, String explanation) {
        this(label, keys, mode, policy, repeats, devices, jain, maxShareErrorPp, allBackloggedFraction, dispatchLag,
                diskUtilization, loadAverageStart, loadAverageEnd, feasible, hostLimit, explanation, List.of(),
                List.of(), List.of());
    }

    /** The same result under another label (a chart that shows several experiments' variants side by side). */
    public VariantResult withLabel(String newLabel) {
        return new VariantResult(newLabel, keys, mode, policy, repeats, devices, jain, maxShareErrorPp,
                allBackloggedFraction, dispatchLag, diskUtilization, loadAverageStart, loadAverageEnd, feasible, hostLimit,
                explanation, thinkTimes, diskTimes, runs);
    }

    /** The same result, its explanation followed by {@code more} (a reservation's verdict). */
    public VariantResult withExplanation(String more) {
        return new VariantResult(label, keys, mode, policy, repeats, devices, jain, maxShareErrorPp,
                allBackloggedFraction, dispatchLag, diskUtilization, loadAverageStart, loadAverageEnd, feasible, hostLimit,
                explanation + more, thinkTimes, diskTimes, runs);
    }

    /** The same result explained by {@code sentence} alone (the generic reading does not apply to it). */
    public VariantResult withExplanationOnly(String sentence) {
        return new VariantResult(label, keys, mode, policy, repeats, devices, jain, maxShareErrorPp,
                allBackloggedFraction, dispatchLag, diskUtilization, loadAverageStart, loadAverageEnd, feasible, hostLimit,
                sentence, thinkTimes, diskTimes, runs);
    }

    /** The same result with its devices' think times and disk times from its request logs. */
    public VariantResult withRequestLog(List<ThinkTime> think, List<DiskTime> disk) {
        return new VariantResult(label, keys, mode, policy, repeats, devices, jain, maxShareErrorPp,
                allBackloggedFraction, dispatchLag, diskUtilization, loadAverageStart, loadAverageEnd, feasible, hostLimit,
                explanation, think, disk, runs);
    }

    /** True when every run kept up with the work its load asked for, so its shares measure the backend. */
    public boolean valid() {
        return hostLimit == null;
    }
}
