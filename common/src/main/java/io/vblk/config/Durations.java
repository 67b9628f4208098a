package io.vblk.config;

import java.time.Duration;
import java.util.Locale;

/** Durations written with a unit: 250ns, 500us, 2ms, 10s, 1m, 1h. */
public final class Durations {
    private Durations() {}

    public static final String ALLOWED = "a number with a unit ns, us, ms, s, m or h (e.g. 500us, 2ms, 10s)";

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        String unit = t.substring(i).trim();
        if (i == 0 || unit.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: expected " + ALLOWED);
        }
        double n;
        try {
            n = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: expected " + ALLOWED);
        }
        double nanos = switch (unit) {
            case "ns" -> n;
            case "us", "µs" -> n * 1e3;
            case "ms" -> n * 1e6;
            case "s" -> n * 1e9;
            case "m", "min" -> n * 60e9;
            case "h" -> n * 3600e9;
            default -> throw new IllegalArgumentException("'" + text + "' has unknown unit '" + unit + "': expected " + ALLOWED);
        };
        if (nanos > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** The shortest exact form: 200us, 10s, 1500ms, 2m, 1h. */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        if (ns % 3_600_000_000_000L == 0) {
            return ns / 3_600_000_000_000L + "h";
        }
        if (ns % 60_000_000_000L == 0) {
            return ns / 60_000_000_000L + "m";
        }
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        if (ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        }
        if (ns % 1_000L == 0) {
            return ns / 1_000L + "us";
        }
        return ns + "ns";
    }
}
