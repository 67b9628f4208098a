package io.vblk.scenario;

import io.vblk.config.Durations;
import io.vblk.control.AdminClient;
import io.vblk.logs.LogReader;
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
 * says which were refused. The backend's answers stamp each applied key ({@link #groups}, one per instant of
 * the list), and {@link #phases} reads the run's request log between those stamps: two devices' weights sent
 * one after the other at a loaded moment still open one phase.
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
    // per distinct instant of the scenario's list, in order: what its changes applied, with the backend's stamps
    private final Map<Duration, Group> groups = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * The changes a scenario makes at one instant, as the backend applied them: between {@code first} and
     * {@code last} (its clock, as the request log's), each key's "target key from->to".
     */
    record Group(long first, long last, List<String> what) {}

    private LiveChanges() {}

    /** What each instant's changes applied, in order of the instants (those that changed nothing left out). */
    List<Group> groups() {
        return groups.values().stream().filter(g -> !g.what().isEmpty()).toList();
    }

    // on the changes' thread: the backend's answer lists each key it changed, stamped
    private void applied(Duration at, com.fasterxml.jackson.databind.JsonNode answer) {
        for (com.fasterxml.jackson.databind.JsonNode r : answer.path("applied")) {
            long t = r.path("t").asLong();
            String text = r.path("target").asText() + " " + r.path("control").asText() + " " + r.path("from").asText()
                    + "->" + r.path("to").asText();
            groups.merge(at, new Group(t, t, List.of(text)), (a, b) -> new Group(Math.min(a.first(), b.first()),
                    Math.max(a.last(), b.last()), java.util.stream.Stream.concat(a.what().stream(), b.what().stream()).toList()));
        }
    }

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
                        return;
                    }
                    c.applied(change.at(), a.body());
                    if (live != null) {
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
     * What the changes did, from a run's backend log and its {@code groups}: the devices' shares of the I/Os
     * completed in each phase between two instants of changes, within the measured window (from {@code warmup}
     * after the run's first request), from {@link #SETTLE} after the last change of the group that opened it (I/Os completed while a group was being applied count nowhere), in the order of
     * {@code devices}. Null without groups.
     */
    static String phases(Path log, List<String> devices, List<Group> groups, Duration warmup, Consumer<String> warnings) {
        if (groups.isEmpty()) {
            return null;
        }
        // the measured window opens a warmup after the run's first request (one clock for both processes)
        long[] first = {Long.MAX_VALUE};
        LogReader.each(List.of(log), RequestRecord.class, null, w -> {}, (RequestRecord r) -> first[0] = Math.min(first[0], r.q()));
        long measured = first[0] + warmup.toNanos();
        List<Long> firsts = groups.stream().map(Group::first).toList();
        List<Long> starts = groups.stream().map(Group::last).toList();
        List<String> what = groups.stream().map(g -> String.join(", ", g.what())).toList();
        long settle = SETTLE.toNanos();
        int phases = starts.size() + 1;
        List<Map<String, long[]>> counts = new ArrayList<>();
        for (int p = 0; p < phases; p++) {
            Map<String, long[]> m = new LinkedHashMap<>();
            devices.forEach(d -> m.put(d, new long[1]));
            counts.add(m);
        }
        io.vblk.logs.BacklogSweep sweep = new io.vblk.logs.BacklogSweep();
        LogReader.each(List.of(log), RequestRecord.class, null, warnings, (RequestRecord r) -> {
            if ("OK".equals(r.status())) {
                sweep.add(r.device(), r.i(), r.d());
            }
            int p = 0;
            while (p < starts.size() && r.r() >= starts.get(p)) {
                p++;
            }
            // inside a group of changes, or too soon after its last: mixed rules, counted nowhere
            boolean changing = p < starts.size() && r.r() >= firsts.get(p);
            if (r.r() < measured || changing || p > 0 && r.r() < starts.get(p - 1) + settle) {
                return;
            }
            long[] n = counts.get(p).get(r.device());
            if (n != null) {
                n[0]++;
            }
        });
        // the same phases for the decisions taken while every device waited: what the weights control
        List<long[]> windows = new ArrayList<>();
        for (int p = 0; p < phases; p++) {
            windows.add(new long[] {p == 0 ? measured : Math.max(measured, starts.get(p - 1) + settle),
                p < firsts.size() ? firsts.get(p) : Long.MAX_VALUE});
        }
        List<Map<String, Long>> decided = sweep.decidedAllBacklogged(windows);
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < phases; p++) {
            long total = counts.get(p).values().stream().mapToLong(n -> n[0]).sum();
            String split = total == 0 ? "no I/Os" : String.join("/", counts.get(p).values().stream()
                    .map(n -> String.format(Locale.ROOT, "%.1f", 100.0 * n[0] / total)).toList()) + " %";
            Map<String, Long> d = decided.get(p);
            long all = devices.stream().mapToLong(x -> d.getOrDefault(x, 0L)).sum();
            String backlogged = all == 0 ? "none while all were backlogged" : String.join("/", devices.stream()
                    .map(x -> String.format(Locale.ROOT, "%.1f", 100.0 * d.getOrDefault(x, 0L) / all)).toList())
                    + " % of the decisions while all were backlogged";
            parts.add((p == 0 ? "" : "after " + what.get(p - 1) + ": ") + split + " of I/Os, " + backlogged);
        }
        return "live changes: shares of " + String.join("/", devices) + " per phase (I/Os completed in the measured "
                + "window, from " + Durations.format(SETTLE) + " after each change): " + String.join("; ", parts);
    }
}
