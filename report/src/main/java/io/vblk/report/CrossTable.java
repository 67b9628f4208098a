package io.vblk.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An experiment whose variants cross a last matrix axis with something else, as one table: a row per variant
 * without that axis, a column per value of it, each cell the devices' shares and, when known, the first
 * device's feasible share ("55.6 / 44.4 (75)"); the scenario's reference figures, when it has them, in
 * columns before its own.
 */
public final class CrossTable {
    private CrossTable() {}

    /** The table, or an empty string when the variants do not sweep a last axis over two values or more. */
    public static String format(ExperimentResult r) {
        List<VariantResult> variants = r.variants();
        if (variants.size() < 2 || variants.get(0).keys().isEmpty()) {
            return "";
        }
        String axis = new ArrayList<>(variants.get(0).keys().keySet()).get(variants.get(0).keys().size() - 1);
        String shortAxis = axis.substring(axis.lastIndexOf('.') + 1);
        Map<String, Map<String, VariantResult>> rows = new LinkedHashMap<>();
        List<String> values = new ArrayList<>();
        for (VariantResult v : variants) {
            String value = v.keys().get(axis);
            String suffix = shortAxis + "=" + value;
            if (value == null || !v.label().endsWith(suffix)) {
                return "";
            }
            String row = v.label().substring(0, v.label().length() - suffix.length()).strip();
            rows.computeIfAbsent(row.isEmpty() ? "shares" : row, k -> new LinkedHashMap<>()).put(value, v);
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        if (values.size() < 2) {
            return "";
        }
        Reference ref = r.reference();
        List<String> head = new ArrayList<>(List.of("variant"));
        if (ref != null) {
            head.addAll(ref.columns());
        }
        values.forEach(x -> head.add(shortAxis + " " + x));
        List<List<String>> body = new ArrayList<>();
        rows.forEach((row, byValue) -> {
            List<String> cells = new ArrayList<>(List.of(row));
            if (ref != null) {
                cells.addAll(ref.rows().getOrDefault(row, ref.columns().stream().map(c -> "–").toList()));
            }
            values.forEach(x -> cells.add(byValue.containsKey(x) ? shares(byValue.get(x)) : "–"));
            body.add(cells);
        });
        VariantResult first = variants.get(0);
        String devices = String.join(" / ", first.devices().stream().map(DeviceFigures::name).toList());
        String feasible = first.devices().get(0).feasibleShare() == null ? ""
                : " (" + first.devices().get(0).name() + "'s feasible share)";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n== %s: share of %s (%%)%s per %s%s%n",
                r.scenario(), devices, feasible, shortAxis, ref == null ? "" : "; " + ref.title() + " beside"));
        int[] width = new int[head.size()];
        for (int i = 0; i < head.size(); i++) {
            width[i] = head.get(i).length();
            for (List<String> cells : body) {
                width[i] = Math.max(width[i], cells.get(i).length());
            }
        }
        out.append(line(head, width)).append('\n').append("-".repeat(line(head, width).length())).append('\n');
        body.forEach(cells -> out.append(line(cells, width)).append('\n'));
        return out.toString();
    }

    private static String shares(VariantResult v) {
        Double feasible = v.devices().get(0).feasibleShare();
        return String.join(" / ", v.devices().stream()
                .map(d -> String.format(Locale.ROOT, "%.1f", 100 * d.share())).toList())
                + (feasible == null ? "" : String.format(Locale.ROOT, " (%.0f)", 100 * feasible));
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(i == 0 ? "" : " | ").append(i == 0 ? String.format("%-" + width[i] + "s", cells.get(i))
                    : String.format("%" + width[i] + "s", cells.get(i)));
        }
        return b.toString();
    }
}
