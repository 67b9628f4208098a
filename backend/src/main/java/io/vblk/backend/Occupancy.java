package io.vblk.backend;

/**
 * A count that rises and falls over time, and its integral in count-nanoseconds: the difference of two
 * {@link #area} readings divided by the nanoseconds between them is the time-weighted mean count. Thread-safe.
 */
final class Occupancy {
    // guarded by this
    private long count;
    private long area;
    private long last;

    synchronized void up(long now) {
        advance(now);
        count++;
    }

    synchronized void down(long now) {
        advance(now);
        count--;
    }

    synchronized void add(int delta, long now) {
        advance(now);
        count += delta;
    }

    /** The count now. */
    synchronized long count() {
        return count;
    }

    synchronized long area(long now) {
        advance(now);
        return area;
    }

    private void advance(long now) {
        // readers and writers on other threads may pass a clock reading a little older than the last one
        if (now > last) {
            area += (now - last) * count;
            last = now;
        }
    }
}
