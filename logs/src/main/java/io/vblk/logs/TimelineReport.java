package io.vblk.logs;

import java.util.List;

/**
 * I/Os per device and window: {@code by} is the stamp that places a record ("r" or "complete"),
 * {@code startS} a window's start in seconds after the earliest stamp of the run read, {@code lastWindowCoveredS} how
 * much of the last window the log reaches into (a run's tail can put a handful of I/Os there).
 */
public record TimelineReport(List<String> files, String by, double windowS, double lastWindowCoveredS,
                             List<String> devices, List<Window> windows) {

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
