package io.vblk.backend;

import io.vblk.requestlog.DepthSample;
import io.vblk.requestlog.IdleSample;
import io.vblk.requestlog.RecordLog;
import io.vblk.scheduler.Scheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the scheduler's idling counters and depth changes into the request log as {@code sample} lines, on a
 * thread of its own every {@link #EVERY} and once more at close, so that {@code vblk logs} can report what the
 * cures did without the backend's final counters. A device's idle sample is written when its counters moved;
 * each depth change once, at the instant it happened.
 */
final class SchedulerSampler implements AutoCloseable {
    /** Well under the depth series' ring ({@link Scheduler.DepthControl#SERIES} changes), so none is missed. */
    static final Duration EVERY = Duration.ofMillis(100);

    private final Scheduler scheduler;
    private final List<String> devices;
    private final RecordLog log;
    private final boolean idle;
    private final boolean depth;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vblk-log-sample");
        t.setDaemon(true);
        return t;
    });
    // the sampler thread's (close runs the last round after it stopped): per device, the idle counters last
    // written, and the instant of the last depth change written
    private final long[][] idleWritten;
    private final long[] depthWrittenAt;

    /** Samples {@code idle} counters and {@code depth} changes of {@code scheduler}'s flows, named {@code devices}. */
    SchedulerSampler(Scheduler scheduler, List<String> devices, RecordLog log, boolean idle, boolean depth) {
        this.scheduler = scheduler;
        this.devices = List.copyOf(devices);
        this.log = log;
        this.idle = idle;
        this.depth = depth;
        this.idleWritten = new long[devices.size()][];
        this.depthWrittenAt = new long[devices.size()];
        Arrays.fill(depthWrittenAt, Long.MIN_VALUE);
        long every = EVERY.toNanos();
        thread.scheduleWithFixedDelay(this::round, every, every, TimeUnit.NANOSECONDS);
    }

    private void round() {
        Scheduler.Snapshot s = scheduler.snapshot();
        for (int f = 0; f < devices.size(); f++) {
            Scheduler.FlowSnapshot flow = s.flows().get(f);
            if (idle) {
                long[] now = {flow.idleNanos(), flow.idleArrivals(), flow.idleTimeouts()};
                if (!Arrays.equals(now, idleWritten[f])) {
                    log.write(new IdleSample(devices.get(f), s.nanos(), now[0], now[1], now[2]));
                    idleWritten[f] = now;
                }
            }
            if (depth) {
                long[] series = flow.depthSeries();
                for (int i = 0; i < series.length; i += 2) {
                    if (series[i] > depthWrittenAt[f]) {
                        log.write(new DepthSample(devices.get(f), series[i], (int) series[i + 1]));
                        depthWrittenAt[f] = series[i];
                    }
                }
            }
        }
    }

    /** Stops the timer, then writes the last counters: call before the log closes. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        round();
    }
}
