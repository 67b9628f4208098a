package io.vblk.logs;

import io.vblk.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import io.vblk.requestlog.ControlRecord;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.RequestRecord;

/**
 * Counts I/Os per device in fixed windows of completion time (the backend's r, the frontend's complete),
 * counted from the earliest stamp of the run read (the caller finds it first: records are written in reply
 * order per connection, not overall, so the first line need not be the earliest). Memory grows with the
 * windows, not the records. A backend log's live changes ({@link ControlRecord}) come with it, on the same axis.
 */
public final class Timeline {
    /** A window per nanosecond over a long log would build a table nobody reads, and fill the heap first. */
    static final int MAX_WINDOWS = 100_000;

    private final long windowNs;
    private final String by;
    private final NavigableMap<Long, Map<String, Long>> windows = new TreeMap<>();
    private final TreeSet<String> devices = new TreeSet<>();
    private final long origin;
    private long last;
    // the run's live changes, in log order
    private final List<TimelineReport.Change> changes = new ArrayList<>();

    /** {@code by} names the stamp for the output: "r" or "complete"; {@code origin} is the earliest stamp. */
    private Timeline(long windowNs, String by, long origin) {
        if (windowNs <= 0) {
            throw new IllegalArgumentException("the window must be positive");
        }
        this.windowNs = windowNs;
        this.by = by;
        this.origin = origin;
        this.last = origin;
    }

    public static Timeline backend(long windowNs, long origin) {
        return new Timeline(windowNs, "r", origin);
    }

    public static Timeline frontend(long windowNs, long origin) {
        return new Timeline(windowNs, "complete", origin);
    }

    /**
     * The timeline of run {@code run} (null: every record) of {@code files}, read twice: once for the earliest
     * stamp, once to count.
     */
    public static TimelineReport read(List<Path> files, LogKind kind, String run, long windowNs,
                                      Consumer<String> warnings) {
        long[] earliest = {Long.MAX_VALUE};
        if (kind == LogKind.BACKEND) {
            // the warnings about skipped lines once, from the pass that counts
            LogReader.each(files, RequestRecord.class, run, w -> {}, r -> earliest[0] = Math.min(earliest[0], r.r()));
            Timeline t = backend(windowNs, earliest[0]);
            LogReader.each(files, RequestRecord.class, run, warnings, r -> t.add(r.device(), r.r()));
            for (ControlRecord c : LogReader.controls(files, run, w -> {})) {
                t.changes.add(new TimelineReport.Change((c.t() - t.origin) / 1e9, c.target(), c.key(), c.from(), c.to()));
            }
            return t.report(files);
        }
        LogReader.each(files, GuestRecord.class, run, w -> {}, g -> earliest[0] = Math.min(earliest[0], g.complete()));
        Timeline t = frontend(windowNs, earliest[0]);
        LogReader.each(files, GuestRecord.class, run, warnings, g -> t.add(g.device(), g.complete()));
        return t.report(files);
    }

    public void add(String device, long stamp) {
        if (stamp < origin) {
            throw new IllegalArgumentException("stamp " + stamp + " before the origin " + origin);
        }
        last = Math.max(last, stamp);
        long index = Math.floorDiv(stamp - origin, windowNs);
        windows.computeIfAbsent(index, k -> new TreeMap<>()).merge(device, 1L, Long::sum);
        devices.add(device);
        if (windows.lastKey() - windows.firstKey() >= MAX_WINDOWS) {
            throw new LogException(String.format(Locale.ROOT, "a %s window makes more than %,d windows of this log;"
                    + " give a longer --window", Durations.format(Duration.ofNanos(windowNs)), MAX_WINDOWS));
        }
    }

    /** Every window from the first to the last, the empty ones included so that time reads evenly. */
    public TimelineReport report(List<Path> files) {
        List<TimelineReport.Window> rows = new ArrayList<>();
        if (!windows.isEmpty()) {
            for (long i = windows.firstKey(); i <= windows.lastKey(); i++) {
                Map<String, Long> counts = windows.getOrDefault(i, Map.of());
                long ios = counts.values().stream().mapToLong(Long::longValue).sum();
                List<TimelineReport.Share> shares = new ArrayList<>();
                for (String d : devices) {
                    long n = counts.getOrDefault(d, 0L);
                    shares.add(new TimelineReport.Share(d, n, Span.share(n, ios)));
                }
                rows.add(new TimelineReport.Window(i * windowNs / 1e9, ios, shares));
            }
        }
        // the log ends inside its last window: how much of it the log covers says how far its shares can be trusted
        double lastCovered = windows.isEmpty() ? 0 : (last - origin - windows.lastKey() * windowNs) / 1e9;
        return new TimelineReport(files.stream().map(Path::toString).toList(), by, windowNs / 1e9, lastCovered,
                List.copyOf(devices), rows, changes);
    }
}
