package io.vblk.config;

import java.util.Locale;

/** A byte count written with an optional binary unit: 512, 4KiB, 64MiB, 1GiB, 2TiB (K, M, G, T mean the same). */
public record ByteSize(long bytes) {
    public static final String ALLOWED = "a whole number of bytes with an optional unit B, KiB, MiB, GiB, TiB (e.g. 512, 4KiB, 1GiB)";

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    public static ByteSize of(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize parse(String text) {
        String t = text.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size: expected " + ALLOWED);
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
        String unit = t.substring(i).trim().toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "", "b" -> 0;
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            case "t", "tib" -> 40;
            default -> throw new IllegalArgumentException("'" + text + "' has unknown unit '" + t.substring(i).trim()
                    + "': expected " + ALLOWED);
        };
        if (Long.numberOfLeadingZeros(n) <= shift) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
        return new ByteSize(n << shift);
    }

    @Override
    public String toString() {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        long v = bytes;
        int u = 0;
        while (u < units.length - 1 && v != 0 && (v & 1023) == 0) {
            v >>= 10;
            u++;
        }
        return u == 0 ? Long.toString(v) : v + units[u];
    }
}
