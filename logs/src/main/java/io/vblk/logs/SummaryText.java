package io.vblk.logs;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import io.vblk.report.TextTable;

/** The human-readable {@code vblk logs summary}: a header line, then the device, phase and in-service tables. */
public final class SummaryText {
    private SummaryText() {}

    public static String format(BackendReport r) {
        StringBuilder out = new StringBuilder(header(r.kind(), r.files(), r.records(), r.skippedLines(), r.spanS(), "q", "r", r.note()));
        TextTable devices = new TextTable("llrrrrrl", "device", "mode", "weight", "I/Os", "ratio to total", "IOPS", "MB", "errors");
        List<Timing> all = new java.util.ArrayList<>();
        java.util.stream.Stream.concat(r.devices().stream(), java.util.stream.Stream.of(r.total())).forEach(d -> {
            Phases p = d.phases();
            all.addAll(java.util.Arrays.asList(p.q2d(), p.d2c(), p.q2c(), p.c2r()));
        });
        Times.Unit unit = Times.Unit.of(all);
        TextTable phases = timings(unit, "phase");
        TextTable atDispatch = new TextTable("llrrrr", "device", "at dispatch", "mean", "p50", "p99", "max");
        for (BackendDevice d : r.devices()) {
            add(d, devices, phases, atDispatch, unit);
        }
        add(r.total(), devices.rule(), phases.rule(), atDispatch.rule(), unit);
        TextTable backlog = new TextTable("lrrrrrrrrr", "device", "target", "feasible", "share", "conc gap", "sched gap",
                "backlogged", "share backlogged", "held", "backlog");
        for (BackendDevice d : r.devices()) {
            backlog.row(d.name(), d.weightShare() == null ? "-" : percent(d.weightShare()),
                    d.feasibleShare() == null ? "–" : percent(d.feasibleShare()), percent(d.share()),
                    io.vblk.report.ExperimentTable.gap(d.concurrencyGapPp()),
                    io.vblk.report.ExperimentTable.gap(d.schedulerGapPp()),
                    d.backloggedFraction() == null ? "-" : percent(d.backloggedFraction()),
                    d.shareBacklogged() == null ? "–" : percent(d.shareBacklogged()),
                    String.format(Locale.ROOT, "%.2f", d.heldMean()), String.format(Locale.ROOT, "%.2f", d.backlogMean()));
        }
        out.append('\n').append(devices.format()).append('\n').append(phases.format())
                .append('\n').append(atDispatch.format()).append('\n').append(backlog.format())
                .append(String.format(Locale.ROOT, "every device backlogged %s of the span%n", percent(r.allBackloggedFraction())));
        if (r.devices().stream().anyMatch(d -> d.idling() != null || d.depth() != null)) {
            out.append('\n').append(cures(r.devices()));
        }
        if (r.feasibleMethod() != null) {
            out.append("feasible share: ").append(r.feasibleMethod()).append('\n');
        }
        if (r.explanation() != null) {
            out.append("=> ").append(r.explanation()).append('\n');
        }
        return out.toString();
    }

    // the scheduler's samples: what idling cost, and the depth it kept (only devices that have them)
    private static String cures(List<BackendDevice> devices) {
        TextTable t = new TextTable("lrrrrrrrr", "device", "idle", "idle of span", "ended by arrival", "timed out",
                "depth mean", "depth min", "depth max", "depth changes");
        for (BackendDevice d : devices) {
            BackendDevice.Idling i = d.idling();
            BackendDevice.Depth p = d.depth();
            t.row(d.name(), i == null ? "-" : Times.text(i.idleS() * 1e6), i == null ? "-" : percent(i.idleFraction()),
                    i == null ? "-" : count(i.idleArrivals()), i == null ? "-" : count(i.idleTimeouts()),
                    p == null ? "-" : String.format(Locale.ROOT, "%.1f", p.mean()), p == null ? "-" : Integer.toString(p.min()),
                    p == null ? "-" : Integer.toString(p.max()), p == null ? "-" : count(p.changes()));
        }
        return t.format() + "idle: time the scheduler held other devices' dispatch for this one (scheduler.idle); "
                + "depth: its latency-driven depth over the span, time-weighted (scheduler.depth: auto)\n";
    }

    public static String format(FrontendReport r) {
        StringBuilder out = new StringBuilder(header(r.kind(), r.files(), r.records(), r.skippedLines(), r.spanS(), "submit", "complete", r.note()));
        List<Timing> all = new java.util.ArrayList<>();
        r.devices().forEach(d -> all.add(d.latency()));
        all.add(r.total().latency());
        Times.Unit unit = Times.Unit.of(all);
        TextTable devices = new TextTable("lrrrrlrrrr", "device", "I/Os", "ratio to total", "IOPS", "MB", "errors",
                unit.header("lat mean"), unit.header("p50"), unit.header("p99"), unit.header("max"));
        for (FrontendDevice d : r.devices()) {
            devices.row(cells(d, unit));
        }
        devices.rule().row(cells(r.total(), unit));
        return out.append('\n').append(devices.format()).toString();
    }

    private static String header(String kind, List<String> files, long records, long skipped, double spanS, String from,
                                 String to, String note) {
        String skips = skipped == 0 ? "" : String.format(Locale.ROOT, " (%,d line%s skipped)", skipped, skipped == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s log %s: %,d records%s over %.3f s (first %s to last %s); %s%n", kind,
                String.join(" ", files), records, skips, spanS, from, to, note);
    }

    /** A table of timings in one unit: device, what, then mean, p50, p99 and max, the unit in each header. */
    static TextTable timings(Times.Unit unit, String what) {
        return new TextTable("llrrrr", "device", what, unit.header("mean"), unit.header("p50"), unit.header("p99"),
                unit.header("max"));
    }

    private static void add(BackendDevice d, TextTable devices, TextTable phases, TextTable atDispatch, Times.Unit unit) {
        devices.row(d.name(), join(d.modes()), join(d.weights()), count(d.ios()), percent(d.share()), rate(d.iops()),
                mb(d.bytes()), errors(d.errors()));
        Phases p = d.phases();
        String[] names = {"Q2D", "D2C", "Q2C", "C2R"};
        Timing[] timings = {p.q2d(), p.d2c(), p.q2c(), p.c2r()};
        for (int i = 0; i < names.length; i++) {
            phases.row(timingRow(i == 0 ? d.name() : "", names[i], timings[i], unit));
        }
        atDispatch.row(spreadRow(d.name(), "in service", d.inServiceDevice()));
        atDispatch.row(spreadRow("", "dispatched, all", d.dispatchedTotal()));
    }

    private static String[] cells(FrontendDevice d, Times.Unit unit) {
        Timing t = d.latency();
        return new String[] {d.name(), count(d.ios()), percent(d.share()), rate(d.iops()), mb(d.bytes()), errors(d.errors()),
            t == null ? "-" : unit.format(t.meanUs()), t == null ? "-" : unit.format(t.p50Us()),
            t == null ? "-" : unit.format(t.p99Us()), t == null ? "-" : unit.format(t.maxUs())};
    }

    static String[] timingRow(String first, String second, Timing t, Times.Unit unit) {
        if (t == null) {
            return new String[] {first, second, "-", "-", "-", "-"};
        }
        return new String[] {first, second, unit.format(t.meanUs()), unit.format(t.p50Us()), unit.format(t.p99Us()),
            unit.format(t.maxUs())};
    }

    private static String[] spreadRow(String first, String second, Spread s) {
        if (s == null) {
            return new String[] {first, second, "-", "-", "-", "-"};
        }
        return new String[] {first, second, String.format(Locale.ROOT, "%.1f", s.mean()), Long.toString(s.p50()),
            Long.toString(s.p99()), Long.toString(s.max())};
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static String errors(Map<String, Long> byStatus) {
        if (byStatus.isEmpty()) {
            return "-";
        }
        return byStatus.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining("/"));
    }
}
