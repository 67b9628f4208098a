package io.vblk.result;

import java.util.Locale;

/**
 * The one way figures are written in tables: the unit goes in the column's header and every cell of the column
 * is in that unit, so a column never mixes 9695us with 12.6ms.
 */
public final class Units {
    private Units() {}

    /** Bytes in MiB, one decimal: the cell of a "(MiB)" column. */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    /** Microseconds in milliseconds, two decimals: the cell of a "(ms)" column. */
    public static String ms(double micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** Microseconds, whole: the cell of a "(µs)" column (the bench's sub-millisecond latencies). */
    public static String us(double micros) {
        return String.format(Locale.ROOT, "%.0f", micros);
    }
}
