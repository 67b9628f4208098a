package io.vblk.logs;

/** The time a log covers, from its earliest start stamp to its latest end stamp (nanoseconds). */
final class Span {
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    void add(long start, long end) {
        first = Math.min(first, start);
        last = Math.max(last, end);
    }

    /** The earliest start stamp, or Long.MAX_VALUE for an empty log. */
    long first() {
        return first;
    }

    /** The latest end stamp, or Long.MIN_VALUE for an empty log. */
    long last() {
        return last;
    }

    double seconds() {
        return last > first ? (last - first) / 1e9 : 0;
    }

    /** Events per second over the span; 0 for an empty or instant log, which has no rate. */
    double rate(long events) {
        double s = seconds();
        return s > 0 ? events / s : 0;
    }

    static double share(long part, long whole) {
        return whole > 0 ? (double) part / whole : 0;
    }
}
