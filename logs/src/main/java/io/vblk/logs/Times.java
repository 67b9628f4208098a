package io.vblk.logs;

import java.util.Locale;

/** Durations as a person reads them: 850 ns, 7.6 µs, 2.68 ms, 12.50 s; compact (7.6us, 2.68ms) in grep lines. */
final class Times {
    private Times() {}

    static String text(long nanos) {
        return format(nanos, " ", "µs");
    }

    static String text(double micros) {
        return text(Math.round(micros * 1e3));
    }

    static String compact(long nanos) {
        return format(nanos, "", "us");
    }

    /** Three significant digits or so: µs below 0.1 ms, ms below 10 s, then seconds. */
    private static String format(long ns, String gap, String micro) {
        if (Math.abs(ns) < 1_000) {
            return ns + gap + "ns";
        }
        if (Math.abs(ns) < 100_000) {
            return String.format(Locale.ROOT, "%.1f%s%s", ns / 1e3, gap, micro);
        }
        if (Math.abs(ns) < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f%sms", ns / 1e6, gap);
        }
        return String.format(Locale.ROOT, "%.2f%ss", ns / 1e9, gap);
    }

    /**
     * One unit for a whole table of latencies, named in its header: µs while every figure is under 1 ms, then
     * ms, then s from 10 s. Figures of one column then compare at a glance (no 9695 µs beside 12.6 ms).
     */
    enum Unit {
        US("µs", 1, "%.1f"), MS("ms", 1e3, "%.3f"), S("s", 1e6, "%.3f");

        private final String label;
        private final double micros;
        private final String format;

        Unit(String label, double micros, String format) {
            this.label = label;
            this.micros = micros;
            this.format = format;
        }

        /** The unit for a table whose largest figure is {@code maxMicros}. */
        static Unit of(double maxMicros) {
            return maxMicros < 1e3 ? US : maxMicros < 1e7 ? MS : S;
        }

        /** The unit for these timings' figures (nulls skipped). */
        static Unit of(java.util.Collection<Timing> timings) {
            return of(timings.stream().filter(java.util.Objects::nonNull).mapToDouble(Timing::maxUs).max().orElse(0));
        }

        /** A header with the unit: "p99 (ms)". */
        String header(String name) {
            return name + " (" + label + ")";
        }

        String format(double micros) {
            return String.format(Locale.ROOT, format, micros / this.micros);
        }
    }
}
