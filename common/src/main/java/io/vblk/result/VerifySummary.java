package io.vblk.result;

import java.util.List;

/**
 * What verify mode found: reads checked against the last acknowledged write (and their bytes), reads skipped (block not
 * written by this run, or the request failed), mismatches, and the first few mismatches described.
 */
public record VerifySummary(boolean enabled, long checked, long checkedBytes, long skipped, long mismatches,
                            List<String> first) {
    public static final VerifySummary OFF = new VerifySummary(false, 0, 0, 0, 0, List.of());

    public VerifySummary {
        first = List.copyOf(first);
    }
}
