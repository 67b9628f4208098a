package io.vblk.log;

import java.util.List;

/** What {@code vblk logs summary} says about a backend log; {@code spanS} runs from the first q to the last r. */
public record BackendReport(String kind, List<String> files, long records, long skippedLines, double spanS, String note,
                            List<BackendDevice> devices, BackendDevice total) {}
