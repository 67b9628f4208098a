package io.vblk.load;

/**
 * The measured part of a run, in System.nanoTime(): opened when warmup ends, closed when the duration is up,
 * each at the instant the matching stats query goes out. Written by one thread, read by every device's loop.
 */
public final class MeasureWindow {
    private volatile long start = Long.MAX_VALUE;
    private volatile long end = Long.MAX_VALUE;

    public void open(long nanos) {
        start = nanos;
    }

    public void close(long nanos) {
        end = nanos;
    }

    /** True for a completion seen at {@code nanos} that counts. */
    public boolean contains(long nanos) {
        return nanos >= start && nanos < end;
    }

    /** True once the window has closed: no new request may be issued. */
    public boolean ended(long nanos) {
        return nanos >= end;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }
}
