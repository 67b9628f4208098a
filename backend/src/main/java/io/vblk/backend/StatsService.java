package io.vblk.backend;

import io.vblk.config.ConfigLoader;
import io.vblk.result.BackendStats;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Gathers the counters and writes them as JSON on one thread of its own. Every query waiting when a round
 * starts is answered by that round's one document (its counters are read after each of those queries
 * arrived), so the cost is one document per round however many connections ask.
 */
final class StatsService implements AutoCloseable {
    private final Supplier<BackendStats> stats;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vblk-stats");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Consumer<String>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    StatsService(Supplier<BackendStats> stats) {
        this.stats = stats;
    }

    /** {@code reply} gets the JSON, on the stats thread; it must hand it back to its own loop. */
    void ask(Consumer<String> reply) {
        waiting.add(reply);
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::round);
            } catch (RejectedExecutionException e) {
                // the backend is closing: its connections close too, unanswered
            }
        }
    }

    private void round() {
        scheduled.set(false);
        List<Consumer<String>> these = new ArrayList<>();
        for (Consumer<String> r; (r = waiting.poll()) != null; ) {
            these.add(r);
        }
        if (these.isEmpty()) {
            return;
        }
        String json;
        try {
            json = ConfigLoader.json().writeValueAsString(stats.get());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        for (Consumer<String> r : these) {
            r.accept(json);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
