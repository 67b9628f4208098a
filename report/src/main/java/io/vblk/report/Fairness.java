package io.vblk.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import io.vblk.result.WindowFigures;

/**
 * Fairness figures of a set of devices, and the sentences that explain them, derived only from measured
 * figures. The explanation names one cause, tried in this order: the weights were met; the load left a
 * queue empty (the host starved it, or the backend's mode let only one request in); the disk was not the
 * bottleneck; fifo ignores weights; and only when every device was backlogged and the decisions taken then
 * still missed the weights, the policy itself. When the shares miss the weights and the devices' feasible
 * shares are known ({@link FeasibleShare}), the sentence then splits the error of the device that lost most:
 * weight share to feasible share is the backend's concurrency, feasible share to achieved share the scheduler.
 */
public final class Fairness {
    private Fairness() {}

    /** Share errors up to this many percentage points count as following the weights. */
    public static final double TOLERANCE_PP = 3.0;
    /** A device backlogged less than this fraction of the time left the policy nothing to weigh, often. */
    static final double OFTEN_BACKLOGGED = 0.9;
    /** A disk busier than this was the bottleneck. */
    static final double BUSY_DISK = 0.9;

    /** Jain's index over shares normalized by weight share: 1 is perfectly weighted, 1/n is one device taking all. */
    public static double jain(List<DeviceFigures> devices) {
        double sum = 0;
        double squares = 0;
        for (DeviceFigures d : devices) {
            double x = d.weightShare() == 0 ? 0 : d.share() / d.weightShare();
            sum += x;
            squares += x * x;
        }
        return squares == 0 ? 0 : sum * sum / (devices.size() * squares);
    }

    public static double maxErrorPp(List<DeviceFigures> devices) {
        return devices.stream().mapToDouble(d -> Math.abs(d.shareErrorPp())).max().orElse(0);
    }

    /**
     * Why the host, not the backend or the scheduler, limited this window, or null when it kept up: a device
     * whose load held under {@link WindowFigures#MIN_LOAD_HELD} of its processes' requests in the backend
     * (the load process was starved of CPU), or dispatch lag over {@link WindowFigures#MAX_DISPATCH_LAG}
     * (the backend's threads were). Load held counts only with an emulated disk: without one the store
     * answers as fast as the load asks, and a low figure says where the bottleneck is, not that the host erred.
     */
    public static String hostLimit(WindowFigures w) {
        StringBuilder why = new StringBuilder();
        for (WindowFigures.DeviceWindow d : w.devices()) {
            if (w.diskUtilization() != null && d.loadHeldFraction() != null
                    && d.loadHeldFraction() < WindowFigures.MIN_LOAD_HELD) {
                why.append(why.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                        "the load kept only %.0f %% of %s's requests in the backend (load_held_fraction %.2f)",
                        100 * d.loadHeldFraction(), d.name(), d.loadHeldFraction()));
            }
        }
        if (w.dispatchLag() > WindowFigures.MAX_DISPATCH_LAG) {
            why.append(why.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                    "the backend's threads left a possible dispatch untaken %.1f %% of the time (dispatch lag)",
                    100 * w.dispatchLag()));
        }
        return why.length() == 0 ? null
                : "the host limited this run, not the backend's concurrency or the scheduler: " + why;
    }

    /**
     * Why the shares came out as they did.
     *
     * @param allBacklogged fraction of the time every device had a request waiting
     * @param disk the emulated disk's utilization, or null without one
     * @param depth the scheduler's depth (the most requests at the disk at once), or null when unknown
     */
    public static String explain(String mode, String policy, List<DeviceFigures> devices, double allBacklogged,
                                 Double disk, Integer depth) {
        String cause = cause(mode, policy, devices, allBacklogged, disk);
        return maxErrorPp(devices) <= TOLERANCE_PP ? cause : cause + split(devices, depth);
    }

    /**
     * "; vm: weight 80 %, its 1 request in service allows at most 25 %, it got 3.0 %: 55 pp from the backend's
     * concurrency, 22 pp from the scheduler (depth 32 puts 31 requests ahead of it at the disk)", for the
     * device furthest below its weight share; empty when no device has a feasible share.
     */
    static String split(List<DeviceFigures> devices, Integer depth) {
        DeviceFigures d = devices.stream().filter(x -> x.feasibleShare() != null)
                .min(Comparator.comparingDouble(DeviceFigures::shareErrorPp)).orElse(null);
        if (d == null) {
            return "";
        }
        int c = d.concurrency();
        // the others' requests dispatched before its own reach the disk's queue first: as many as the depth
        // leaves room for, and no more than the others can have in service
        // (with depth auto, no more than their mean latency-driven depths)
        int others = devices.stream().filter(x -> x != d && x.concurrency() != null)
                .mapToInt(x -> x.depth() == null ? x.concurrency() : (int) Math.min(x.concurrency(), Math.round(x.depth().mean())))
                .sum();
        boolean auto = devices.stream().anyMatch(x -> x != d && x.depth() != null);
        int before = depth == null ? 0 : Math.min(depth - c, others);
        String ahead = depth != null && before > 0 && d.schedulerGapPp() > TOLERANCE_PP
                ? auto ? String.format(Locale.ROOT, " (the others' latency-driven depth puts about %d request%s ahead of"
                        + " it at the disk)", before, before == 1 ? "" : "s")
                : String.format(Locale.ROOT, " (depth %d puts %d request%s ahead of it at the disk)", depth, before,
                        before == 1 ? "" : "s") : "";
        return String.format(Locale.ROOT, "; %s: weight %.0f %%, its %d request%s in service allow%s at most %.0f %%, it "
                        + "got %.1f %%: %d pp from the backend's concurrency, %d pp from the scheduler%s", d.name(),
                100 * d.weightShare(), c, c == 1 ? "" : "s", c == 1 ? "s" : "", 100 * d.feasibleShare(), 100 * d.share(),
                Math.round(d.concurrencyGapPp()), Math.round(d.schedulerGapPp()), ahead);
    }

    private static String cause(String mode, String policy, List<DeviceFigures> devices, double allBacklogged,
                                Double disk) {
        double maxErr = maxErrorPp(devices);
        DeviceFigures least = devices.stream().min(Comparator.comparingDouble(DeviceFigures::backloggedFraction))
                .orElseThrow();
        DeviceFigures most = devices.stream().max(Comparator.comparingDouble(DeviceFigures::inServiceMean)).orElseThrow();
        boolean sync = mode.contains("sync");
        if (maxErr <= TOLERANCE_PP) {
            return String.format(Locale.ROOT, "shares follow the weights (largest error %.1f pp): every device was "
                    + "backlogged at least %.0f %% of the time (least: %s), so %s could choose", maxErr,
                    100 * least.backloggedFraction(), least.name(), policy);
        }
        Double decidedErr = maxDecidedErrorPp(devices);
        boolean decidedRight = decidedErr != null && decidedErr <= TOLERANCE_PP;
        if (least.backloggedFraction() < OFTEN_BACKLOGGED || decidedRight) {
            String then = decidedRight ? String.format(Locale.ROOT, "; while all were backlogged (%.0f %% of the "
                    + "time) %s dispatched %s, as weighted", 100 * allBacklogged, policy, decided(devices)) : "";
            if (least.inServiceMean() <= 1.05 && most.inServiceMean() >= 4 && least != most) {
                return String.format(Locale.ROOT, "%s never had more than one request in the backend (mean in service "
                        + "%.2f, peak %d, backlogged %.0f %% of the time) while %s kept %.1f: a weight can only reorder "
                        + "requests that wait, and %s's single request waits behind %s's%s", least.name(),
                        least.inServiceMean(), least.peakInService(), 100 * least.backloggedFraction(), most.name(),
                        most.inServiceMean(), least.name(), most.name(), then);
            }
            boolean heldLittle = least.loadHeldFraction() != null && least.loadHeldFraction() < WindowFigures.MIN_LOAD_HELD;
            String starved = heldLittle && disk == null
                    ? String.format(Locale.ROOT, ", and the backend held only %.0f %% of its processes' requests (no "
                            + "emulated disk: the store answered as fast as the load asked)", 100 * least.loadHeldFraction())
                    : heldLittle ? String.format(Locale.ROOT, ", and held only %.0f %% of its processes' requests (the host "
                            + "starved the load)", 100 * least.loadHeldFraction())
                    : sync ? String.format(Locale.ROOT, ", mean in service %.2f (one request per queue in sync mode%s)",
                            least.inServiceMean(), disk == null ? "" : String.format(Locale.ROOT,
                                    ", so the disk was busy only %.0f %%, as the mode allows", 100 * disk))
                    : String.format(Locale.ROOT, ", mean in service %.2f", least.inServiceMean());
            return String.format(Locale.ROOT, "the load kept a request of %s waiting at the scheduler only %.0f %% of "
                    + "the time%s: weights cannot act on an empty queue%s", least.name(),
                    100 * least.backloggedFraction(), starved, then);
        }
        if (disk != null && disk < BUSY_DISK && !sync) {
            return String.format(Locale.ROOT, "disk busy %.0f %% while requests waited at the scheduler (least "
                    + "backlogged %.0f %% of the time): the host's CPU, not the disk, limited this run", 100 * disk,
                    100 * least.backloggedFraction());
        }
        if ("fifo".equals(policy)) {
            return String.format(Locale.ROOT, "fifo ignores weights: shares follow how many requests each device keeps "
                    + "in the backend (%s)", inflights(devices));
        }
        if (decidedErr != null) {
            return String.format(Locale.ROOT, "every device was backlogged (all at once %.0f %% of the time) yet %s "
                    + "dispatched %s then, missing the weights by up to %.1f pp: the policy's own error", 100 * allBacklogged,
                    policy, decided(devices), decidedErr);
        }
        return String.format(Locale.ROOT, "every device was backlogged at least %.0f %% of the time, but never all at "
                + "once long enough to tell the policy's split; shares miss the weights by up to %.1f pp (%s)",
                100 * least.backloggedFraction(), maxErr, inflights(devices));
    }

    /** The largest all-backlogged share error, or null when any device lacks that share. */
    static Double maxDecidedErrorPp(List<DeviceFigures> devices) {
        double max = 0;
        for (DeviceFigures d : devices) {
            if (d.shareBacklogged() == null) {
                return null;
            }
            max = Math.max(max, Math.abs(d.shareBackloggedErrorPp()));
        }
        return max;
    }

    // "a 60.5 %, b 29.6 %, c 9.9 % (weights 60/30/10 %)"
    private static String decided(List<DeviceFigures> devices) {
        StringBuilder b = new StringBuilder();
        StringBuilder w = new StringBuilder();
        for (DeviceFigures d : devices) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f %%", d.name(),
                    100 * Objects.requireNonNull(d.shareBacklogged())));
            w.append(w.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.0f", 100 * d.weightShare()));
        }
        return b + " (weights " + w + " %)";
    }

    private static String inflights(List<DeviceFigures> devices) {
        StringBuilder b = new StringBuilder("mean in service");
        for (DeviceFigures d : devices) {
            b.append(String.format(Locale.ROOT, " %s %.1f", d.name(), d.inServiceMean()));
        }
        return b.toString();
    }
}
