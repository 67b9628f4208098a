package io.vblk.logs;

import java.util.List;

/** What {@code vblk logs summary} says about a frontend log; {@code spanS} runs from the first submit to the last complete. */
public record FrontendReport(String kind, List<String> files, long records, long skippedLines, double spanS, String note,
                             List<FrontendDevice> devices, FrontendDevice total) {}
