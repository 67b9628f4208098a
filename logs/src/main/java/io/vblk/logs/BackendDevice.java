package io.vblk.logs;

import java.util.List;
import java.util.Map;

/**
 * One device's figures in a backend log (or the total over devices). {@code ios} and {@code share} count
 * every record; {@code errors} counts records by status other than OK; {@code bytes}, the phases and the
 * in-service counts cover OK records only. The backlog figures are the backend's own, recomputed from the I
 * and D stamps of OK records over the log's span: {@code weightShare} of the log's devices,
 * {@code backloggedFraction}, {@code shareBacklogged} (null when every device was backlogged at once under
 * 1 % of the span), and the time-weighted means of requests held (Q to R) and waiting (I to D).
 * {@code feasibleShare} is the report's {@link io.vblk.report.FeasibleShare} model's, and the gaps split the
 * share error (weight share less feasible share, feasible share less share, in pp); null without a model.
 * {@code idling} and {@code depth} are the scheduler's own samples in the log (null when it wrote none: no
 * {@code scheduler.idle}, no {@code depth: auto}). The total has no weight share, backlog, feasible or sample
 * figures (null).
 */
public record BackendDevice(String name, List<Integer> weights, List<String> modes, long ios, double share, double iops,
                            long bytes, Map<String, Long> errors, Phases phases, Spread inServiceDevice,
                            Spread dispatchedTotal, Double weightShare, Double backloggedFraction, Double shareBacklogged,
                            double heldMean, double backlogMean, Double feasibleShare, Double concurrencyGapPp,
                            Double schedulerGapPp, Idling idling, Depth depth) {
    /**
     * What idling for the device cost the others ({@code scheduler.idle}): the time dispatch waited for it, in
     * seconds and as a fraction of the span, and its idle periods that ended in its next arrival or timed out.
     */
    public record Idling(double idleS, double idleFraction, long idleArrivals, long idleTimeouts) {}

    /**
     * The device's latency-driven depth over the span: its time-weighted mean, the least and most it stood at,
     * and the changes within the span.
     */
    public record Depth(double mean, int min, int max, int changes) {}
}
