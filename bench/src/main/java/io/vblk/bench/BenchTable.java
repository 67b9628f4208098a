package io.vblk.bench;

import io.vblk.report.TextTable;
import io.vblk.result.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable tables of {@code vblk bench}: one row per cell, the sfq-against-fifo ratios of the cells
 * that were measured under both, and the scaling curve.
 */
public final class BenchTable {
    private BenchTable() {}

    static final String[] HEADER = {"rw", "qd/dev", "devs", "policy", "mode", "IOPS", "p50 (µs)", "p99 (µs)", "p99.9 (µs)",
        "backend CPU s/M I/O", "frontend CPU s/M I/O"};

    public static String cells(List<CellResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (CellResult r : results) {
            rows.add(new String[] {
                r.rw(),
                Integer.toString(r.outstandingPerDevice()),
                Integer.toString(r.devices()),
                r.policy(),
                r.mode(),
                String.format(Locale.ROOT, "%,.0f", r.iops()),
                Units.us(r.p50Us()),
                Units.us(r.p99Us()),
                Units.us(r.p999Us()),
                String.format(Locale.ROOT, "%.2f", r.backendCpuPerMillion()),
                String.format(Locale.ROOT, "%.2f", r.frontendCpuPerMillion()),
            });
        }
        return format(rows);
    }

    /** One row per point measured under both fifo and sfq: IOPS of each and sfq / fifo. */
    public static String ratios(List<CellResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"rw", "qd/dev", "devs", "mode", "fifo IOPS", "sfq IOPS", "sfq / fifo"});
        for (Ratio r : Ratio.of(results)) {
            CellResult f = r.fifo();
            rows.add(new String[] {
                f.rw(), Integer.toString(f.outstandingPerDevice()), Integer.toString(f.devices()), f.mode(),
                String.format(Locale.ROOT, "%,.0f", f.iops()),
                String.format(Locale.ROOT, "%,.0f", r.sfq().iops()),
                String.format(Locale.ROOT, "%.3f", r.ratio()),
            });
        }
        return rows.size() == 1 ? "" : format(rows);
    }

    /** The curve: each axis's points with total outstanding, IOPS, latency and CPU per million I/Os. */
    public static String curve(List<CellResult> byDevices, List<CellResult> byDepth) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"axis", "devs", "qd/dev", "outstanding", "IOPS", "p50 (µs)", "p99 (µs)", "backend CPU s/M I/O",
            "frontend CPU s/M I/O"});
        for (CellResult r : byDevices) {
            rows.add(curveRow("devices", r));
        }
        for (CellResult r : byDepth) {
            rows.add(curveRow("depth", r));
        }
        return format(rows);
    }

    private static String[] curveRow(String axis, CellResult r) {
        return new String[] {
            axis,
            Integer.toString(r.devices()),
            Integer.toString(r.outstandingPerDevice()),
            Integer.toString(r.devices() * r.outstandingPerDevice()),
            String.format(Locale.ROOT, "%,.0f", r.iops()),
            Units.us(r.p50Us()),
            Units.us(r.p99Us()),
            String.format(Locale.ROOT, "%.2f", r.backendCpuPerMillion()),
            String.format(Locale.ROOT, "%.2f", r.frontendCpuPerMillion()),
        };
    }

    /** sfq's IOPS over fifo's at one point. */
    public record Ratio(CellResult fifo, CellResult sfq) {
        public double ratio() {
            return fifo.iops() == 0 ? 0 : sfq.iops() / fifo.iops();
        }

        static List<Ratio> of(List<CellResult> results) {
            List<Ratio> out = new ArrayList<>();
            for (CellResult f : results) {
                if (!f.policy().equals("fifo")) {
                    continue;
                }
                results.stream().filter(s -> s.policy().equals("sfq") && s.samePoint(f)).findFirst()
                        .ifPresent(s -> out.add(new Ratio(f, s)));
            }
            return out;
        }
    }

    // the first column is text, the rest line up on their last character
    private static String format(List<String[]> rows) {
        TextTable t = new TextTable("l" + "r".repeat(rows.get(0).length - 1), rows.get(0));
        rows.subList(1, rows.size()).forEach(t::row);
        return t.format();
    }
}
