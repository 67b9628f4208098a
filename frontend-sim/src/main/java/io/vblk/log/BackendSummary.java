package io.vblk.log;

import io.vblk.report.DeviceFigures;
import io.vblk.report.Fairness;
import io.vblk.report.WindowFigures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Folds backend records, one at a time, into the per-device figures of {@code vblk logs summary}. */
public final class BackendSummary implements Consumer<RequestRecord> {
    /**
     * Why errors stay out of the phases: a refused request has i = d = c = q, so its zero wait and service
     * would pull every percentile down; it still took its turn, so it counts in I/Os and share.
     */
    public static final String NOTE = "errors (status != OK) count in I/Os and share; bytes, phases and inflight are over OK requests only";

    private final Map<String, Tally> devices = new TreeMap<>();
    private final Tally total = new Tally(false);
    private final Span span = new Span();
    private final BacklogSweep backlog = new BacklogSweep();
    private long records;

    @Override
    public void accept(RequestRecord r) {
        records++;
        span.add(r.q(), r.r());
        devices.computeIfAbsent(r.device(), k -> new Tally(true)).add(r);
        total.add(r);
        if ("OK".equals(r.status())) {
            backlog.add(r.device(), r.i(), r.d());
        }
    }

    public BackendReport report(List<Path> files, long skippedLines) {
        BacklogSweep.Result b = backlog.result();
        double spanNanos = span.seconds() * 1e9;
        double all = b == null || spanNanos == 0 ? 0 : b.allBackloggedNanos() / spanNanos;
        double weights = devices.values().stream().mapToDouble(Tally::weight).sum();
        List<BackendDevice> list = new ArrayList<>();
        List<DeviceFigures> figures = new ArrayList<>();
        devices.forEach((name, t) -> {
            BacklogSweep.Device d = b == null ? null : b.devices().get(name);
            Double backlogged = d == null || spanNanos == 0 ? null : d.backloggedNanos() / spanNanos;
            Double decided = d == null || all < WindowFigures.MIN_ALL_BACKLOGGED || b.dispatchedAllBacklogged() == 0 ? null
                    : (double) d.dispatchedAllBacklogged() / b.dispatchedAllBacklogged();
            BackendDevice device = t.figures(name, total.ios, span, weights == 0 ? 0 : t.weight() / weights, backlogged,
                    decided);
            list.add(device);
            figures.add(figures(device, t, spanNanos));
        });
        String mode = String.join("+", devices.values().stream().flatMap(t -> t.modes.stream()).distinct().toList());
        String explanation = figures.isEmpty() || b == null ? null
                : Fairness.explain(mode, "the scheduler", figures, all, null);
        return new BackendReport("backend", files.stream().map(Path::toString).toList(), records, skippedLines,
                span.seconds(), NOTE, list, total.figures("total", total.ios, span, null, null, null), all, explanation);
    }

    /** The device as the experiment tables' explanation reads it. */
    private static DeviceFigures figures(BackendDevice d, Tally t, double spanNanos) {
        double weightShare = d.weightShare() == null ? 0 : d.weightShare();
        Timing q2c = d.phases().q2c();
        return new DeviceFigures(d.name(), t.weight(), weightShare, d.ios(), d.share(), 0,
                100 * (d.share() - weightShare), d.iops(), q2c == null ? 0 : q2c.p99Us(), spanNanos == 0 ? 0 : t.pipelineArea / spanNanos,
                d.backlogMean(), d.inflightDevice() == null ? 0 : (int) d.inflightDevice().max(), 0,
                d.backloggedFraction() == null ? 0 : d.backloggedFraction(), d.shareBacklogged(), null);
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
        private final Distribution inflightDevice = new Distribution();
        private final Distribution inflightDisk = new Distribution();
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
            inflightDevice.add(r.inflightDevice());
            inflightDisk.add(r.inflightDisk());
        }

        /** The device's weight: its first, should a log mix runs with other weights. */
        int weight() {
            return weights.isEmpty() ? 0 : weights.iterator().next();
        }

        BackendDevice figures(String name, long totalIos, Span span, Double weightShare, Double backlogged,
                              Double decided) {
            double spanNanos = span.seconds() * 1e9;
            return new BackendDevice(name, List.copyOf(weights), List.copyOf(modes), ios, Span.share(ios, totalIos),
                    span.rate(ios), bytes, new TreeMap<>(errors),
                    new Phases(q2d.timing(), d2c.timing(), q2c.timing(), c2r.timing()),
                    inflightDevice.spread(), inflightDisk.spread(), weightShare, backlogged, decided,
                    spanNanos == 0 ? 0 : heldArea / spanNanos, spanNanos == 0 ? 0 : waitingArea / spanNanos);
        }
    }
}
