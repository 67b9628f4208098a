package io.vblk.report;

import java.io.PrintStream;
import java.util.Locale;

/** The seed's table, one per variant, each ending with the line that explains it. */
public final class ExperimentTable {
    private ExperimentTable() {}

    public static void print(PrintStream out, VariantResult v) {
        out.printf(Locale.ROOT, "%n== %s  (mode %s, policy %s, %d run%s)%n", v.label(), v.mode(), v.policy(), v.repeats(),
                v.repeats() == 1 ? "" : "s");
        String head = String.format(Locale.ROOT, "%-10s | %6s | %9s | %14s | %16s | %9s | %9s | %9s | %9s",
                "device", "weight", "I/Os", "ratio to total", "share error (pp)", "IOPS", "p99", "in-flight", "backlog");
        out.println(head);
        out.println("-".repeat(head.length()));
        for (DeviceFigures d : v.devices()) {
            String ratio = String.format(Locale.ROOT, "%.1f%%", 100 * d.share())
                    + (v.repeats() > 1 ? String.format(Locale.ROOT, " ±%.1f", d.shareSpread()) : "");
            out.printf(Locale.ROOT, "%-10s | %6d | %9.0f | %14s | %+16.1f | %9.0f | %9s | %9.2f | %9.2f%n", d.name(),
                    d.weight(), d.ios(), ratio, d.shareErrorPp(), d.iops(), micros(d.p99Us()), d.inflightMean(),
                    d.backlogMean());
        }
        out.printf(Locale.ROOT, "Jain's index over weight-normalized shares: %.3f; largest share error %.1f pp%n", v.jain(),
                v.maxShareErrorPp());
        out.println("=> " + v.explanation());
    }

    static String micros(double us) {
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%.1fms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.0fus", us);
    }
}
