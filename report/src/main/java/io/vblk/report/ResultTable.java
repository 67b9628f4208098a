package io.vblk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.vblk.result.DeviceResult;
import io.vblk.result.Latency;
import io.vblk.result.LoadResult;
import io.vblk.result.Units;

/**
 * The human-readable report: one row per device, then the total, in aligned columns
 * {@code device | weight | I/Os | ratio to total | IOPS | MB/s | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms)}: latencies in
 * ms, the unit in the header.
 */
public final class ResultTable {
    private ResultTable() {}

    static final String[] HEADER = {"device", "weight", "I/Os", "ratio to total", "IOPS", "MB/s", "p50 (ms)", "p90 (ms)", "p99 (ms)",
        "p99.9 (ms)"};

    public static String format(LoadResult result) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (DeviceResult d : result.devices()) {
            rows.add(row(d));
        }
        rows.add(row(result.total()));
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            if (i == 1 || i == rows.size() - 1) {
                rule(out, width);
            }
            line(out, rows.get(i), width);
        }
        return out.toString();
    }

    private static String[] row(DeviceResult d) {
        Latency l = d.latencyUs();
        return new String[] {
            d.name(),
            Integer.toString(d.weight()),
            String.format(Locale.ROOT, "%,d", d.ios()),
            String.format(Locale.ROOT, "%.1f%%", d.share() * 100),
            String.format(Locale.ROOT, "%,.0f", d.iops()),
            String.format(Locale.ROOT, "%.1f", d.mbps()),
            Units.ms(l.p50()),
            Units.ms(l.p90()),
            Units.ms(l.p99()),
            Units.ms(l.p999()),
        };
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                out.append(" | ");
            }
            // the device name reads left to right, figures line up on their last digit
            String pad = " ".repeat(width[c] - cells[c].length());
            out.append(c == 0 ? cells[c] + pad : pad + cells[c]);
        }
        out.append('\n');
    }

    private static void rule(StringBuilder out, int[] width) {
        for (int c = 0; c < width.length; c++) {
            out.append(c > 0 ? "-+-" : "").append("-".repeat(width[c]));
        }
        out.append('\n');
    }
}
