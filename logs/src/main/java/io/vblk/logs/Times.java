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
}
