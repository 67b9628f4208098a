package io.vblk.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code scheduler.depth}: a number, the most requests dispatched at once, or {@code auto}, latency-driven depth
 * (io.latency): the scheduler keeps at most {@link #AUTO_MAX} dispatched, and each device's own depth moves
 * between 1 and that by the devices' {@code latency-target}s.
 */
public final class Depth {
    /** The depth {@code auto} starts every device at and grows it back to: the default depth. */
    public static final int AUTO_MAX = 64;
    static final String ALLOWED = "a number from 1 to 65536, or auto";

    private final long value;
    private final boolean auto;

    private Depth(long value, boolean auto) {
        this.value = value;
        this.auto = auto;
    }

    public static Depth of(long value) {
        return new Depth(value, false);
    }

    public static final Depth AUTO = new Depth(AUTO_MAX, true);

    static Depth parse(String text) {
        if (text.equals("auto")) {
            return AUTO;
        }
        try {
            return of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + ALLOWED + ", got '" + text + "'");
        }
    }

    /** The most requests dispatched at once (with auto, the ceiling of every device's depth). */
    public int max() {
        return (int) value;
    }

    public boolean auto() {
        return auto;
    }

    boolean valid() {
        return auto || (value >= 1 && value <= 65536);
    }

    @JsonValue
    Object json() {
        return auto ? "auto" : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Depth d && d.value == value && d.auto == auto;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value) * 31 + (auto ? 1 : 0);
    }

    @Override
    public String toString() {
        return auto ? "auto" : Long.toString(value);
    }
}
