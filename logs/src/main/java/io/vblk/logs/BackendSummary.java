package io.vblk.logs;

import io.vblk.report.DeviceFigures;
import io.vblk.report.Fairness;
import io.vblk.result.WindowFigures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import io.vblk.requestlog.DepthSample;
import io.vblk.requestlog.IdleSample;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.Sample;

/**
 * Folds backend records, one at a time, into the per-device figures of {@code vblk logs summary}; the
 * scheduler's sample lines come in through {@link #samples}.
 */
public final class BackendSummary implements Consumer<RequestRecord> {
    /**
     * Why errors stay out of the phases: a refused request has i = d = c = q, so its zero wait and service
     * would pull every percentile down; it still took its turn, so it counts in I/Os and share.
     */
    public static final String NOTE = "errors (status != OK) count in I/Os and share; bytes, phases and in-service counts are over OK requests only";

    private final Map<String, Tally> devices = new TreeMap<>();
    private final Tally total = new Tally(false);
    private final Span span = new Span();
    private final BacklogSweep backlog = new BacklogSweep();
    // completions per 100 ms of the C stamps: the busiest interval is the disk's capacity as the log shows it
    private final Map<Long, long[]> completions = new java.util.HashMap<>();
    private long records;
    // per device: its latest idle sample (the counters only grow), and its depth changes in log order
    private final Map<String, IdleSample> idle = new java.util.HashMap<>();
    private final Map<String, List<DepthSample>> depth = new java.util.HashMap<>();

    /** Where {@link LogReader#samples} should send the log's sample lines. */
    public Consumer<Sample> samples() {
        return s -> {
            if (s instanceof IdleSample i) {
                idle.merge(i.device(), i, (a, b) -> b.t() >= a.t() ? b : a);
            } else if (s instanceof DepthSample d) {
                depth.computeIfAbsent(d.device(), k -> new ArrayList<>()).add(d);
            }
        };
    }

    @Override
    public void accept(RequestRecord r) {
        records++;
        span.add(r.q(), r.r());
        devices.computeIfAbsent(r.device(), k -> new Tally(true)).add(r);
        total.add(r);
        if ("OK".equals(r.status())) {
            backlog.add(r.device(), r.i(), r.d());
            completions.computeIfAbsent(Math.floorDiv(r.c(), CAPACITY_BUCKET_NANOS), k -> new long[1])[0]++;
        }
    }

    private static final long CAPACITY_BUCKET_NANOS = 100_000_000L;

    /**
     * The feasible shares as a request log gives them: each device's concurrency is the most of its requests
     * in the pipeline at a dispatch (in_service_device), its service time alone its shortest D2C (a request that
     * found a disk slot free), and the disk's capacity the most completions in any 100 ms, which is a lower
     * bound when the disk was never busy for that long. Null when a device lacks a weight or OK requests.
     */
    private io.vblk.report.FeasibleShare.Model feasible() {
        List<io.vblk.report.FeasibleShare.Demand> demands = new ArrayList<>();
        for (Map.Entry<String, Tally> e : devices.entrySet()) {
            Tally t = e.getValue();
            if (t.weight() < 1 || t.d2c.count() == 0 || t.d2c.min() <= 0) {
                return null;
            }
            demands.add(new io.vblk.report.FeasibleShare.Demand(e.getKey(), t.weight(),
                    (int) t.inServiceDevice.spread().max(), t.d2c.min() / 1e9));
        }
        long busiest = completions.values().stream().mapToLong(c -> c[0]).max().orElse(0);
        if (demands.isEmpty() || busiest == 0) {
            return null;
        }
        double capacity = busiest * 1e9 / CAPACITY_BUCKET_NANOS;
        double slots = capacity * demands.stream().mapToDouble(io.vblk.report.FeasibleShare.Demand::serviceSeconds)
                .average().orElseThrow();
        return io.vblk.report.FeasibleShare.model(String.format(java.util.Locale.ROOT, "from the log: capacity the "
                + "most completions in any 100 ms (%.1f slots of the mean shortest D2C), each device's service "
                + "time its shortest D2C, its concurrency its peak in_service_device", slots), demands, slots);
    }

    public BackendReport report(List<Path> files, long skippedLines) {
        BacklogSweep.Result b = backlog.result();
        double spanNanos = span.seconds() * 1e9;
        double all = b == null || spanNanos == 0 ? 0 : b.allBackloggedNanos() / spanNanos;
        double weights = devices.values().stream().mapToDouble(Tally::weight).sum();
        io.vblk.report.FeasibleShare.Model model = feasible();
        List<BackendDevice> list = new ArrayList<>();
        List<DeviceFigures> figures = new ArrayList<>();
        devices.forEach((name, t) -> {
            BacklogSweep.Device d = b == null ? null : b.devices().get(name);
            Double backlogged = d == null || spanNanos == 0 ? null : d.backloggedNanos() / spanNanos;
            Double decided = d == null || all < WindowFigures.MIN_ALL_BACKLOGGED || b.dispatchedAllBacklogged() == 0 ? null
                    : (double) d.dispatchedAllBacklogged() / b.dispatchedAllBacklogged();
            io.vblk.report.FeasibleShare.Allocation a = model == null ? null : model.device(name);
            BackendDevice device = t.figures(name, total.ios, span, weights == 0 ? 0 : t.weight() / weights, backlogged,
                    decided, a == null ? null : a.share(), idling(idle.get(name), spanNanos), depth(depth.get(name), span));
            list.add(device);
            figures.add(figures(device, t, spanNanos, a));
        });
        String mode = String.join("+", devices.values().stream().flatMap(t -> t.modes.stream()).distinct().toList());
        Spread atStore = total.dispatchedTotal.spread();
        String explanation = figures.isEmpty() || b == null ? null
                : Fairness.explain(mode, "the scheduler", figures, all, null, atStore == null ? null : (int) atStore.max());
        return new BackendReport("backend", files.stream().map(Path::toString).toList(), records, skippedLines,
                span.seconds(), NOTE, list, total.figures("total", total.ios, span, null, null, null, null, null, null), all,
                model == null ? null : model.method(), explanation);
    }

    private static BackendDevice.Idling idling(IdleSample last, double spanNanos) {
        return last == null ? null : new BackendDevice.Idling(last.idleNs() / 1e9,
                spanNanos == 0 ? 0 : Math.min(1, last.idleNs() / spanNanos), last.idleArrivals(), last.idleTimeouts());
    }

    /**
     * The depth over the records' span: each sample holds from its instant until the next; before the first
     * sample in the span, the depth of the last sample before it (or the first sample's, should none precede).
     */
    static BackendDevice.Depth depth(List<DepthSample> samples, Span span) {
        if (samples == null || samples.isEmpty() || span.last() <= span.first()) {
            return null;
        }
        List<DepthSample> sorted = samples.stream().sorted(java.util.Comparator.comparingLong(DepthSample::t)).toList();
        long from = span.first();
        long to = span.last();
        int current = sorted.get(0).depth();
        int min = Integer.MAX_VALUE;
        int max = 0;
        int changes = 0;
        double area = 0;
        long at = from;
        for (DepthSample d : sorted) {
            if (d.t() <= from) {
                current = d.depth();
                continue;
            }
            if (d.t() >= to) {
                break;
            }
            area += (double) current * (d.t() - at);
            min = Math.min(min, current);
            max = Math.max(max, current);
            current = d.depth();
            at = d.t();
            changes++;
        }
        area += (double) current * (to - at);
        min = Math.min(min, current);
        max = Math.max(max, current);
        return new BackendDevice.Depth(area / (to - from), min, max, changes);
    }

    /** The device as the experiment tables' explanation reads it. */
    private static DeviceFigures figures(BackendDevice d, Tally t, double spanNanos,
                                         io.vblk.report.FeasibleShare.Allocation a) {
        double weightShare = d.weightShare() == null ? 0 : d.weightShare();
        Timing q2c = d.phases().q2c();
        return new DeviceFigures(d.name(), t.weight(), weightShare, d.ios(), d.share(), 0,
                100 * (d.share() - weightShare), d.iops(), q2c == null ? 0 : q2c.p99Us(), spanNanos == 0 ? 0 : t.pipelineArea / spanNanos,
                d.backlogMean(), d.inServiceDevice() == null ? 0 : (int) d.inServiceDevice().max(), 0,
                d.backloggedFraction() == null ? 0 : d.backloggedFraction(), d.shareBacklogged(), null,
                a == null ? null : a.concurrency(), d.feasibleShare());
    }

    private static final class Tally {
        /** A weight belongs to a device; the total's list stays empty rather than read as a ratio. */
        private final boolean keepWeights;
        private final Set<Integer> weights = new TreeSet<>();
        private final Set<String> modes = new TreeSet<>();
        private final Map<String, Long> errors = new TreeMap<>();
        private final Distribution q2d = new Distribution();
        private final Distribution d2c = new Distribution();
        private final Distribution q2c = new Distribution();
        private final Distribution c2r = new Distribution();
        private final Distribution inServiceDevice = new Distribution();
        private final Distribution dispatchedTotal = new Distribution();
        private long ios;
        private long bytes;
        // request-nanoseconds held (Q to R), waiting at the scheduler (I to D), in the pipeline (I to C)
        private long heldArea;
        private long waitingArea;
        private long pipelineArea;

        Tally(boolean keepWeights) {
            this.keepWeights = keepWeights;
        }

        void add(RequestRecord r) {
            ios++;
            if (keepWeights) {
                weights.add(r.weight());
            }
            modes.add(r.mode());
            heldArea += r.r() - r.q();
            if (!"OK".equals(r.status())) {
                errors.merge(r.status(), 1L, Long::sum);
                return;
            }
            bytes += r.bytes();
            waitingArea += r.d() - r.i();
            pipelineArea += r.c() - r.i();
            q2d.add(r.q2d());
            d2c.add(r.d2c());
            q2c.add(r.q2c());
            c2r.add(r.c2r());
            inServiceDevice.add(r.inServiceDevice());
            dispatchedTotal.add(r.dispatchedTotal());
        }

        /** The device's weight: its first, should a log mix runs with other weights. */
        int weight() {
            return weights.isEmpty() ? 0 : weights.iterator().next();
        }

        BackendDevice figures(String name, long totalIos, Span span, Double weightShare, Double backlogged,
                              Double decided, Double feasible, BackendDevice.Idling idling, BackendDevice.Depth depth) {
            double spanNanos = span.seconds() * 1e9;
            double share = Span.share(ios, totalIos);
            return new BackendDevice(name, List.copyOf(weights), List.copyOf(modes), ios, share,
                    span.rate(ios), bytes, new TreeMap<>(errors),
                    new Phases(q2d.timing(), d2c.timing(), q2c.timing(), c2r.timing()),
                    inServiceDevice.spread(), dispatchedTotal.spread(), weightShare, backlogged, decided,
                    spanNanos == 0 ? 0 : heldArea / spanNanos, spanNanos == 0 ? 0 : waitingArea / spanNanos, feasible,
                    feasible == null ? null : 100 * (weightShare - feasible), feasible == null ? null : 100 * (feasible - share),
                    idling, depth);
        }
    }
}
