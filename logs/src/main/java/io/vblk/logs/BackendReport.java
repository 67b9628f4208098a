package io.vblk.logs;

import java.util.List;

/**
 * What {@code vblk logs summary} says about a backend log; {@code spanS} runs from the first q to the last r.
 * {@code allBackloggedFraction}: the part of the span during which every device of the log had a request
 * waiting at the scheduler; {@code feasibleMethod}: how the devices' feasible shares were estimated from the
 * log (null when they could not be); {@code explanation}: the same sentence an experiment prints, from these
 * figures.
 */
public record BackendReport(String kind, List<String> files, long records, long skippedLines, double spanS, String note,
                            List<BackendDevice> devices, BackendDevice total, double allBackloggedFraction,
                            String feasibleMethod, String explanation) {}
