package io.vblk.logs;

import java.util.Locale;
import io.vblk.report.TextTable;

/** The human-readable {@code vblk logs join}: the counts per device, then the three legs of a request. */
public final class JoinText {
    private JoinText() {}

    public static String format(JoinReport r) {
        TextTable counts = new TextTable("lrrrr", "device", "joined", "backend only", "frontend only", "conflicting");
        TextTable legs = new TextTable("llrrrr", "device", "leg", "mean", "p50", "p99", "max");
        for (JoinDevice d : r.devices()) {
            add(d, counts, legs);
        }
        add(r.total(), counts.rule(), legs.rule());
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "join of %s (backend) and %s (frontend) on (device, queue, seq)%n%n", r.backendLog(), r.frontendLog()));
        out.append(counts.format()).append('\n').append(legs.format());
        if (r.total().conflicts() > 0) {
            out.append(String.format(Locale.ROOT, "%,d conflicting: the same key with another type, sector or length"
                    + " (seq restarted?); left out of the figures%n", r.total().conflicts()));
        }
        if (r.negativeLegs() > 0) {
            out.append(String.format(Locale.ROOT, "%,d ways in or back came out negative and count as 0: the two logs"
                    + " do not share a clock%n", r.negativeLegs()));
        }
        return out.toString();
    }

    private static void add(JoinDevice d, TextTable counts, TextTable legs) {
        counts.row(d.name(), SummaryText.count(d.joined()), SummaryText.count(d.backendOnly()),
                SummaryText.count(d.frontendOnly()), SummaryText.count(d.conflicts()));
        legs.row(SummaryText.timingRow(d.name(), "way in (q - submit)", d.wayIn()));
        legs.row(SummaryText.timingRow("", "backend (r - q)", d.backend()));
        legs.row(SummaryText.timingRow("", "way back (complete - r)", d.wayBack()));
    }
}
