package io.vblk.scenario;

import io.vblk.config.Durations;
import io.vblk.control.AdminClient;
import io.vblk.logs.LogReader;
import io.vblk.requestlog.ControlRecord;
import io.vblk.requestlog.RequestRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A run's scheduled live changes: each scenario {@link Scenario.Change} is sent to the backend's admin endpoint
 * at its instant after the run's start, on a thread of its own; {@link #close} stops what has not come due and
 * says which were refused. {@link #phases} reads back from the run's request log what each change did.
 */
final class LiveChanges implements AutoCloseable {
    /** After a change, the share is read from this much later: the backlog the old rules admitted drains first. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vblk-live-changes");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();

    private LiveChanges() {}

    /** Schedules {@code changes} from now; {@code admin} is the endpoint's HOST:PORT (null: there are none). */
    static LiveChanges start(List<Scenario.Change> changes, String admin, String token, Consumer<String> live) {
        LiveChanges c = new LiveChanges();
        if (changes.isEmpty()) {
            return c;
        }
        if (admin == null) {
            throw new IllegalStateException("the backend announced no admin endpoint for the scenario's changes");
        }
        AdminClient client = new AdminClient(admin, token);
        for (int i = 0; i < changes.size(); i++) {
            Scenario.Change change = changes.get(i);
            String at = "changes[" + i + "]";
            c.thread.schedule(() -> {
                try {
                    AdminClient.Answer a = client.change(change.target(), change.values());
                    if (a.status() != 200) {
                        c.refused.add(at + " (" + change.text() + "): the backend refused it: " + a.error());
                    } else if (live != null) {
                        live.accept("applied " + change.text());
                    }
                } catch (IOException e) {
                    c.refused.add(at + " (" + change.text() + "): " + e.getMessage());
                }
            }, change.at().toNanos(), TimeUnit.NANOSECONDS);
        }
        return c;
    }

    /** Drops the changes not yet due; throws when one was refused or could not be sent. */
    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        try {
            thread.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!refused.isEmpty()) {
            throw new IOException("live change " + String.join("; ", refused));
        }
    }

    /**
     * What the changes did, from a run's backend log: the devices' shares of the I/Os completed in each phase
     * between changes (a change within {@link #SETTLE} of the one before it is in the same group), from
     * {@link #SETTLE} after the last change of the group that opened it, in the order of {@code devices}. Null
     * without changes in the log.
     */
    static String phases(Path log, List<String> devices, Consumer<String> warnings) {
        List<ControlRecord> controls = LogReader.controls(List.of(log), null, warnings);
        if (controls.isEmpty()) {
            return null;
        }
        // phase boundaries: the run's start, then each group of changes: a change within SETTLE of the one before
        // it joins its group (two devices' weights sent one after the other), and the phase counts from the last
        List<Long> firsts = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<String> what = new ArrayList<>();
        long settle = SETTLE.toNanos();
        for (ControlRecord c : controls) {
            String text = c.target() + " " + c.key() + " " + c.from() + "->" + c.to();
            if (!starts.isEmpty() && c.t() - starts.get(starts.size() - 1) < settle) {
                starts.set(starts.size() - 1, c.t());
                what.set(what.size() - 1, what.get(what.size() - 1) + ", " + text);
            } else {
                firsts.add(c.t());
                starts.add(c.t());
                what.add(text);
            }
        }
        int phases = starts.size() + 1;
        List<Map<String, long[]>> counts = new ArrayList<>();
        for (int p = 0; p < phases; p++) {
            Map<String, long[]> m = new LinkedHashMap<>();
            devices.forEach(d -> m.put(d, new long[1]));
            counts.add(m);
        }
        LogReader.each(List.of(log), RequestRecord.class, null, warnings, (RequestRecord r) -> {
            int p = 0;
            while (p < starts.size() && r.r() >= starts.get(p)) {
                p++;
            }
            // inside a group of changes, or too soon after its last: mixed rules, counted nowhere
            boolean changing = p < starts.size() && r.r() >= firsts.get(p);
            if (changing || p > 0 && r.r() < starts.get(p - 1) + settle) {
                return;
            }
            long[] n = counts.get(p).get(r.device());
            if (n != null) {
                n[0]++;
            }
        });
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < phases; p++) {
            long total = counts.get(p).values().stream().mapToLong(n -> n[0]).sum();
            String split = total == 0 ? "no I/Os" : String.join("/", counts.get(p).values().stream()
                    .map(n -> String.format(Locale.ROOT, "%.1f", 100.0 * n[0] / total)).toList()) + " %";
            parts.add(p == 0 ? split : "after " + what.get(p - 1) + ": " + split);
        }
        return "live changes: shares of " + String.join("/", devices) + " per phase (I/Os completed from "
                + Durations.format(SETTLE) + " after each change): " + String.join("; ", parts);
    }
}
