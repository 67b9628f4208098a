package io.vblk.disk;

import io.vblk.config.DiskConfig;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * A timing model in front of a store: {@code parallelism} slots (like NCQ), each holding one request for its
 * service time, served first come first served. A request starts at max(its arrival, the slot's last finish),
 * the instant a real disk would have started it, whenever this thread actually wakes: oversleeping by the
 * timer delays completions but does not lower capacity, which stays parallelism / service-time.
 * When a request's time is up it is handed to {@code serve}, which performs the real store operation.
 *
 * <p>One thread owns the slots; submitters only touch the arrival queue. The disk's stamps are its own: a
 * request's arrival travels with it in the queue, and the instant its slot fell free is handed to
 * {@code serve}.
 */
public final class EmulatedDisk<R> implements AutoCloseable {
    /** Performs a request whose time is up, on the disk's thread. */
    @FunctionalInterface
    public interface Serve<R> {
        /**
         * {@code slotFreeSince} is the modeled instant the request's slot fell free if no other request was
         * queued to take it, otherwise 0.
         */
        void serve(R request, long slotFreeSince);
    }

    // a request and when it arrived; the queue allocates a node per request anyway
    private record Arrival<R>(R request, long at) {}

    private final DiskConfig config;
    private final LongSupplier clock;
    private final ToLongFunction<R> bytes;
    private final Serve<R> serve;
    private final ConcurrentLinkedQueue<Arrival<R>> arrivals = new ConcurrentLinkedQueue<>();
    // the disk's thread only
    private final Object[] slot;
    private final long[] finish;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int busy;
    // modeled slot-nanoseconds of service started so far; written by the disk's thread only
    private volatile long busyNanos;

    /** @param bytes what a request moves, for the transfer-rate term */
    public EmulatedDisk(DiskConfig config, LongSupplier clock, ToLongFunction<R> bytes, Serve<R> serve) {
        this.config = config;
        this.clock = clock;
        this.bytes = bytes;
        this.serve = serve;
        this.slot = new Object[config.parallelism()];
        this.finish = new long[config.parallelism()];
        this.thread = new Thread(this::run, "vblk-disk");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Builds a disk once the consumer that serves its due requests exists. */
    @FunctionalInterface
    public interface Factory {
        <R> EmulatedDisk<R> create(ToLongFunction<R> bytes, Serve<R> serve);

        static Factory of(DiskConfig config, LongSupplier clock) {
            return new Factory() {
                @Override
                public <R> EmulatedDisk<R> create(ToLongFunction<R> bytes, Serve<R> serve) {
                    return new EmulatedDisk<>(config, clock, bytes, serve);
                }
            };
        }
    }

    public DiskConfig config() {
        return config;
    }

    public void submit(R r) {
        arrivals.add(new Arrival<>(r, clock.getAsLong()));
        LockSupport.unpark(thread);
    }

    /**
     * Slot-nanoseconds of service the model has started so far: over a window, their difference divided by
     * slots times the window is the disk's utilization.
     */
    public long busyNanos() {
        return busyNanos;
    }

    /** Requests currently holding a slot. */
    public int busy() {
        return busy;
    }

    @SuppressWarnings("unchecked")
    private void run() {
        while (running) {
            long now = clock.getAsLong();
            long wake = Long.MAX_VALUE;
            int held = 0;
            for (int s = 0; s < slot.length; s++) {
                if (slot[s] != null && finish[s] <= now) {
                    R done = (R) slot[s];
                    slot[s] = null;
                    serve.serve(done, arrivals.isEmpty() ? finish[s] : 0);
                }
                if (slot[s] == null) {
                    Arrival<R> next = arrivals.poll();
                    if (next != null) {
                        long service = config.serviceNanos(bytes.applyAsLong(next.request()));
                        finish[s] = Math.max(next.at(), finish[s]) + service;
                        slot[s] = next.request();
                        busyNanos += service;
                    }
                }
                if (slot[s] != null) {
                    held++;
                    wake = Math.min(wake, finish[s]);
                }
            }
            busy = held;
            if (wake == Long.MAX_VALUE) {
                if (arrivals.isEmpty()) {
                    LockSupport.park(this);
                }
            } else if (wake > now) {
                LockSupport.parkNanos(this, wake - now);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
