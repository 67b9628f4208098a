package io.vblk.logs;

import java.util.List;

/**
 * What {@code vblk logs join} found; {@code negativeLegs} counts ways in or back that came out negative
 * (recorded as 0), which means the two logs do not share a clock.
 */
public record JoinReport(String backendLog, String frontendLog, long skippedLines, List<JoinDevice> devices,
                         JoinDevice total, long negativeLegs) {}
