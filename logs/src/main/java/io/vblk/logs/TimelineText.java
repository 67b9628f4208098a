package io.vblk.logs;

import io.vblk.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.vblk.report.TextTable;

/** A timeline as a table: one row per window, an I/O count and a share column per device, then the total. */
public final class TimelineText {
    private TimelineText() {}

    private static String change(TimelineReport.Change c) {
        return String.format(Locale.ROOT, "-- at %.3f s: %s", c.atS(), c.text());
    }

    public static String format(TimelineReport r) {
        List<String> header = new ArrayList<>(List.of("time (s)"));
        for (String d : r.devices()) {
            header.add(d);
            header.add("share");
        }
        header.add("total");
        TextTable table = new TextTable("r".repeat(header.size()), header.toArray(String[]::new));
        int next = 0;
        for (TimelineReport.Window w : r.windows()) {
            // a change is a line of its own before the first window that starts after it
            for (; next < r.changes().size() && r.changes().get(next).atS() < w.startS(); next++) {
                table.note(change(r.changes().get(next)));
            }
            List<String> cells = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.3f", w.startS())));
            for (TimelineReport.Share s : w.devices()) {
                cells.add(SummaryText.count(s.ios()));
                cells.add(w.ios() == 0 ? "-" : SummaryText.percent(s.share()));
            }
            cells.add(SummaryText.count(w.ios()));
            table.row(cells.toArray(String[]::new));
        }
        for (; next < r.changes().size(); next++) {
            table.note(change(r.changes().get(next)));
        }
        String window = Durations.format(Duration.ofNanos(Math.round(r.windowS() * 1e9)));
        String last = r.lastWindowShort() ? String.format(Locale.ROOT,
                "; the log covers only %s of the last window", Times.text(Math.round(r.lastWindowCoveredS() * 1e9))) : "";
        return String.format(Locale.ROOT, "timeline of %s: %s windows by %s from the earliest stamp; share = the device's"
                + " part of the window's I/Os%s%n%n", String.join(" ", r.files()), window, r.by(), last) + table.format();
    }
}
