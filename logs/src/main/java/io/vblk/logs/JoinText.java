package io.vblk.logs;

import java.util.Locale;
import io.vblk.report.TextTable;

/** The human-readable {@code vblk logs join}: the counts per device, then the three legs of a request. */
public final class JoinText {
    private JoinText() {}

    public static String format(JoinReport r) {
        TextTable counts = new TextTable("lrrrr", "device", "joined", "backend only", "frontend only", "conflicting");
        java.util.List<Timing> all = new java.util.ArrayList<>();
        java.util.stream.Stream.concat(r.devices().stream(), java.util.stream.Stream.of(r.total()))
                .forEach(d -> all.addAll(java.util.Arrays.asList(d.wayIn(), d.backend(), d.wayBack())));
        Times.Unit unit = Times.Unit.of(all);
        TextTable legs = SummaryText.timings(unit, "leg");
        for (JoinDevice d : r.devices()) {
            add(d, counts, legs, unit);
        }
        add(r.total(), counts.rule(), legs.rule(), unit);
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

    private static void add(JoinDevice d, TextTable counts, TextTable legs, Times.Unit unit) {
        counts.row(d.name(), SummaryText.count(d.joined()), SummaryText.count(d.backendOnly()),
                SummaryText.count(d.frontendOnly()), SummaryText.count(d.conflicts()));
        legs.row(SummaryText.timingRow(d.name(), "way in (q - submit)", d.wayIn(), unit));
        legs.row(SummaryText.timingRow("", "backend (r - q)", d.backend(), unit));
        legs.row(SummaryText.timingRow("", "way back (complete - r)", d.wayBack(), unit));
    }
}
