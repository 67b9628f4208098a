package io.vblk.backend;

import org.slf4j.Logger;

/**
 * WARN lines that a client or a failing disk can cause by the thousand: at most {@code perSecond} a second
 * get through; the next line after a quiet spell says how many were left out. Safe for any thread.
 */
public final class ThrottledLog {
    private static final long SECOND = 1_000_000_000L;
    private final Logger log;
    private final int perSecond;
    private long windowStart = System.nanoTime() - SECOND;
    private int inWindow;
    private long dropped;

    public ThrottledLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    /** Logs {@code format} (SLF4J's {} placeholders) at WARN, unless this second's lines are spent. */
    public void warn(String format, Object... args) {
        long left;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart >= SECOND) {
                windowStart = now;
                inWindow = 0;
            }
            if (inWindow >= perSecond) {
                dropped++;
                return;
            }
            inWindow++;
            left = dropped;
            dropped = 0;
        }
        if (left > 0) {
            log.warn("({} similar lines left out: at most {} a second)", left, perSecond);
        }
        log.warn(format, args);
    }
}
