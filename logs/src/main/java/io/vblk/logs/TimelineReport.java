package io.vblk.logs;

import java.util.List;

/**
 * I/Os per device and window: {@code by} is the stamp that places a record ("r" or "complete"),
 * {@code startS} a window's start in seconds after the earliest stamp of the run read, {@code lastWindowCoveredS} how
 * much of the last window the log reaches into (a run's tail can put a handful of I/Os there). {@code changes}
 * are the live changes the backend applied during the run, at seconds on the same axis (a frontend log has none).
 */
public record TimelineReport(List<String> files, String by, double windowS, double lastWindowCoveredS,
                             List<String> devices, List<Window> windows, List<Change> changes) {
    public TimelineReport {
        changes = List.copyOf(changes);
    }

    /** A live change: {@code key} of {@code target} went from {@code from} to {@code to} at {@code atS}. */
    public record Change(double atS, String target, String key, String from, String to) {
        /** As the table and the chart say it, e.g. "sda11 weight 80 -> 60". */
        public String text() {
            return target + " " + key + " " + from + " -> " + to;
        }
    }

    /**
     * Whether the log covers less than half of its last window, which then holds too few I/Os for its shares
     * to mean much; a log within a single window is all there is and never short.
     */
    public boolean lastWindowShort() {
        return windows.size() > 1 && lastWindowCoveredS < windowS / 2;
    }

    /** One window; {@code devices} in the order of the report's devices, each with its part of the window's I/Os. */
    public record Window(double startS, long ios, List<Share> devices) {}

    public record Share(String name, long ios, double share) {}
}
