package io.vblk.report;

import io.vblk.result.Units;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The seed's table, one per variant: per device its target (weight share), its feasible share (what the
 * backend's concurrency allows, {@link FeasibleShare}), its share over the whole window and over the time
 * every device was backlogged, the error split into the concurrency gap and the scheduler gap, how often it
 * was backlogged, and how much of its load the backend held; then the variant's own figures, how the feasible
 * shares were obtained, the host's verdict when it limited a run, and the line that explains the shares.
 */
public final class ExperimentTable {
    private ExperimentTable() {}

    public static void print(PrintStream out, VariantResult v) {
        out.print(format(v));
        out.flush();
    }

    public static String format(VariantResult v) {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter out = new java.io.PrintWriter(text);
        out.printf(Locale.ROOT, "%n== %s  (mode %s, policy %s, %d run%s%s)%n", v.label(), v.mode(), v.policy(),
                v.repeats(), v.repeats() == 1 ? "" : "s", loadAverages(v));
        if (!v.thinkTimes().isEmpty()) {
            out.println("think time (next Q less previous R, per queue): " + String.join("; ", v.thinkTimes().stream()
                    .map(t -> String.format(Locale.ROOT, "%s median %s, p99 %s (%d gaps, %d below 0); to the next I "
                            + "median %s, p99 %s", t.device(), micros(t.medianUs()), micros(t.p99Us()), t.samples(),
                            t.overlapped(), micros(t.admitMedianUs()), micros(t.admitP99Us()))).toList()));
        }
        // several runs: I/Os is the mean per run and the share carries its standard deviation over the runs
        boolean runs = v.repeats() > 1;
        String head = String.format(Locale.ROOT, "%-10s | %6s | %6s | %8s | %12s | %22s | %10s | %9s | %9s | %10s | %16s | %9s | %9s | %9s | %9s | %10s | %9s",
                "device", "weight", "target", "feasible", runs ? "I/Os per run" : "I/Os",
                runs ? "share (± sd over runs)" : "share", "error (pp)", "conc gap",
                "sched gap", "backlogged", "share backlogged", "load held", "IOPS", "p90 (ms)", "p99 (ms)", "in service",
                "backlog");
        out.println(head);
        out.println("-".repeat(head.length()));
        for (DeviceFigures d : v.devices()) {
            String share = percent(d.share())
                    + (runs ? String.format(Locale.ROOT, " ±%.1f pp", d.shareSpreadPp()) : "");
            out.printf(Locale.ROOT, "%-10s | %6d | %6s | %8s | %12.0f | %22s | %+10.1f | %9s | %9s | %10s | %16s | %9s | %9.0f | %9s | %9s | %10.2f | %9.2f%n",
                    d.name(), d.weight(), percent(d.weightShare()),
                    d.feasibleShare() == null ? "–" : percent(d.feasibleShare()), d.ios(), share, d.shareErrorPp(),
                    gap(d.concurrencyGapPp()), gap(d.schedulerGapPp()), percent(d.backloggedFraction()),
                    d.shareBacklogged() == null ? "–" : percent(d.shareBacklogged()),
                    d.loadHeldFraction() == null ? "–" : String.format(Locale.ROOT, "%.2f", d.loadHeldFraction()),
                    d.iops(), d.p90Us() == null ? "–" : Units.ms(d.p90Us()), Units.ms(d.p99Us()), d.inServiceMean(),
                    d.backlogMean());
        }
        out.printf(Locale.ROOT, "Jain's index over weight-normalized shares: %.3f; largest share error %.1f pp; all "
                + "devices backlogged %s of the time%s; dispatch lag %s%n", v.jain(), v.maxShareErrorPp(),
                percent(v.allBackloggedFraction()),
                v.diskUtilization() == null ? "" : "; disk busy " + percent(v.diskUtilization()), percent(v.dispatchLag()));
        if (v.feasible() != null) {
            out.println("feasible share: " + v.feasible().method());
        }
        if (!v.diskTimes().isEmpty()) {
            out.println("disk time (sum of D2C) / bytes: " + String.join("; ", v.diskTimes().stream()
                    .map(t -> String.format(Locale.ROOT, "%s %.3fs (%s) / %s MiB (%s)", t.device(), t.d2cS(),
                            percent(t.d2cShare()), io.vblk.result.Units.mib(t.bytes()), percent(t.bytesShare()))).toList()));
        }
        if (v.devices().stream().anyMatch(d -> d.idleArrivals() + d.idleTimeouts() > 0)) {
            out.println("idle: " + String.join("; ", v.devices().stream().map(d -> String.format(Locale.ROOT,
                    "%s %s of the time, %.0f periods ended in an arrival, %.0f timed out", d.name(),
                    percent(d.idleFraction()), d.idleArrivals(), d.idleTimeouts())).toList()));
        }
        if (v.devices().stream().anyMatch(d -> d.depth() != null)) {
            out.println("depth (auto): " + String.join("; ", v.devices().stream().filter(d -> d.depth() != null)
                    .map(d -> String.format(Locale.ROOT, "%s mean %.1f, %d to %d%s", d.name(), d.depth().mean(),
                            d.depth().min(), d.depth().max(), d.depth().latencyMisses() == 0 ? ""
                                    : ", missed its latency target in " + d.depth().latencyMisses() + " windows"))
                    .toList()));
        }
        if (!v.valid()) {
            out.println("!! " + v.hostLimit());
        }
        out.println("=> " + v.explanation());
        out.flush();
        return text.toString();
    }

    private static String loadAverages(VariantResult v) {
        if (v.loadAverageStart() < 0) {
            return "";
        }
        return String.format(Locale.ROOT, "; load average %.2f at start, %.2f at end", v.loadAverageStart(),
                v.loadAverageEnd());
    }

    /** A gap in signed percentage points, or a dash when there is none. */
    public static String gap(Double gap) {
        return gap == null ? "–" : String.format(Locale.ROOT, "%+.1f pp", gap);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** A latency in a line of prose (not a column, whose unit is in its header): 9695us, 12.6ms. */
    static String micros(double us) {
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%.1fms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.0fus", us);
    }
}
