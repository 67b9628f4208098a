package io.vblk.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One door's connections and refusals, counted where they happen (connection events, not requests) and read
 * at scrape time. The reasons are fixed when the door is built, so every one is exposed from the start at 0
 * (a rate over a series that appears only at its first refusal misses that refusal). Thread-safe.
 */
public final class DoorCounters {
    /** The doors' names, as the metrics' {@code door} label and docs/glossary.md give them. */
    public static final String VIRTIO = "virtio-over-tcp";
    public static final String NBD = "nbd";
    public static final String VHOST_USER = "vhost-user";
    /** The TCP doors' refusal reason for a TLS handshake that failed (one past its deadline is {@code limit}). */
    public static final String TLS = "tls";

    private final String door;
    private final LongAdder connections = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    // reason -> refusals, in the order given; never changed after construction, so reads need no lock
    private final Map<String, LongAdder> refusals = new LinkedHashMap<>();

    public DoorCounters(String door, List<String> reasons) {
        this.door = door;
        reasons.forEach(r -> refusals.put(r, new LongAdder()));
    }

    public String door() {
        return door;
    }

    /** A connection (a vhost-user front-end: a session) was accepted. */
    public void opened() {
        connections.increment();
        open.incrementAndGet();
    }

    /** A connection counted by {@link #opened} has closed. */
    public void closed() {
        open.decrementAndGet();
    }

    /** The door refused a connection for {@code reason}, one of those it was built with. */
    public void refused(String reason) {
        LongAdder n = refusals.get(reason);
        if (n == null) {
            throw new IllegalArgumentException("door " + door + " has no refusal reason '" + reason + "'; it has "
                    + String.join(", ", refusals.keySet()));
        }
        n.increment();
    }

    public long connections() {
        return connections.sum();
    }

    public int openConnections() {
        return open.get();
    }

    /** Refusals by reason, every reason present. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new LinkedHashMap<>();
        refusals.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }
}
