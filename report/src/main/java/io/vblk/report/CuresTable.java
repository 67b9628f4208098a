package io.vblk.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The cures experiment as one table: a row per variant labelled "SETUP: CURE", with the share of the setup's
 * heaviest device (the weight-80 one in the 2008 setups), the total IOPS and their part of the disk's capacity
 * (the feasible share's model), the p90 and p99 latency of each device, and a note: a reservation found infeasible, a
 * latency-driven depth, a host-limited run.
 */
public final class CuresTable {
    private CuresTable() {}

    /** The table, or an empty string when some variant's label is not "SETUP: CURE". */
    public static String format(ExperimentResult r) {
        if (!applies(r)) {
            return "";
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("setup", "cure", "heaviest device's share", "total IOPS", "of capacity", "p90 per device (ms)",
                "p99 per device (ms)", "note"));
        for (VariantResult v : r.variants()) {
            String[] sc = v.label().split(": ", 2);
            DeviceFigures heavy = heaviest(v);
            rows.add(List.of(sc[0], sc[1], String.format(Locale.ROOT, "%s (%d) %.1f %%", heavy.name(), heavy.weight(),
                    100 * heavy.share()), String.format(Locale.ROOT, "%.0f", iops(v)), capacity(v),
                    perDevice(v, d -> d.p90Us()), perDevice(v, DeviceFigures::p99Us), note(v)));
        }
        int[] width = new int[rows.get(0).size()];
        rows.forEach(cells -> {
            for (int i = 0; i < cells.size(); i++) {
                width[i] = Math.max(width[i], cells.get(i).length());
            }
        });
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n== %s: each cure's share and its price%n",
                r.scenario()));
        for (int k = 0; k < rows.size(); k++) {
            List<String> cells = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                line.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                out.append("-".repeat(line.length())).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * One line: per setup, each cure's share of the heaviest device and the IOPS as a part of capacity, e.g.
     * "cures: seed sync: none sda11 50.3 % at 18 % of capacity, idle 80.1 % at 17 % | vm-vs-host: ...".
     */
    public static String summary(ExperimentResult r) {
        if (!applies(r)) {
            return "";
        }
        List<String> setups = new ArrayList<>();
        StringBuilder line = new StringBuilder("cures (heaviest device's share, IOPS of capacity):");
        String setup = null;
        for (VariantResult v : r.variants()) {
            String[] sc = v.label().split(": ", 2);
            DeviceFigures heavy = heaviest(v);
            if (!sc[0].equals(setup)) {
                setup = sc[0];
                setups.add(setup);
                line.append(setups.size() == 1 ? " " : " | ").append(setup).append(" (").append(heavy.name()).append("):");
            } else {
                line.append(',');
            }
            line.append(String.format(Locale.ROOT, " %s %.1f %% at %s", sc[1], 100 * heavy.share(), capacity(v)));
            if (v.explanation().contains("is infeasible")) {
                line.append(" (infeasible)");
            }
        }
        return line.toString();
    }

    /** "vm 479.00 / host 101.00": each device's latency in ms, "–" where it is not known. */
    private static String perDevice(VariantResult v, java.util.function.Function<DeviceFigures, Double> us) {
        return String.join(" / ", v.devices().stream().map(d -> d.name() + " "
                + (us.apply(d) == null ? "–" : io.vblk.result.Units.ms(us.apply(d)))).toList());
    }

    private static boolean applies(ExperimentResult r) {
        return !r.variants().isEmpty() && r.variants().stream().allMatch(v -> v.label().split(": ", 2).length == 2);
    }

    private static DeviceFigures heaviest(VariantResult v) {
        return v.devices().stream().max(Comparator.comparingInt(DeviceFigures::weight)).orElseThrow();
    }

    private static double iops(VariantResult v) {
        return v.devices().stream().mapToDouble(DeviceFigures::iops).sum();
    }

    private static String capacity(VariantResult v) {
        return v.feasible() == null ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * iops(v) / v.feasible().capacityIops());
    }

    private static String note(VariantResult v) {
        List<String> notes = new ArrayList<>();
        if (v.explanation().contains("is infeasible")) {
            notes.add("reservation infeasible");
        }
        v.devices().stream().filter(d -> d.depth() != null && d.depth().min() != d.depth().max())
                .forEach(d -> notes.add(String.format(Locale.ROOT, "%s depth %.1f (%d to %d)", d.name(), d.depth().mean(),
                        d.depth().min(), d.depth().max())));
        if (!v.valid()) {
            notes.add("host limited");
        }
        return String.join("; ", notes);
    }
}
