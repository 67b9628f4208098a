package io.vblk.load;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The once-a-second status: elapsed time, then each device's IOPS and share over the last interval, and the
 * FLUSHes acknowledged so far where the load flushes.
 */
final class LiveLine {
    private final List<DeviceLoad> loads;
    private final Consumer<String> sink;
    private final long t0;
    private final long warmupEnd;
    private final long[] last;
    private long lastNanos;

    LiveLine(List<DeviceLoad> loads, Consumer<String> sink, long t0, long warmupEnd) {
        this.loads = loads;
        this.sink = sink;
        this.t0 = t0;
        this.warmupEnd = warmupEnd;
        this.last = new long[loads.size()];
        this.lastNanos = t0;
    }

    void print(long now) {
        long[] delta = new long[loads.size()];
        long sum = 0;
        for (int i = 0; i < delta.length; i++) {
            long c = loads.get(i).completions();
            delta[i] = c - last[i];
            last[i] = c;
            sum += delta[i];
        }
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        lastNanos = now;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%6.1fs %-6s",
                (now - t0) / 1e9, now < warmupEnd ? "warmup" : ""));
        for (int i = 0; i < delta.length; i++) {
            b.append(i == 0 ? " " : " | ").append(loads.get(i).name())
                    .append(String.format(Locale.ROOT, " %,.0f IOPS %.1f%%", delta[i] / seconds,
                            sum == 0 ? 0.0 : 100.0 * delta[i] / sum));
            long flushes = loads.get(i).flushes();
            if (flushes >= 0) {
                b.append(" flushes ").append(flushes);
            }
        }
        sink.accept(b.toString());
    }
}
