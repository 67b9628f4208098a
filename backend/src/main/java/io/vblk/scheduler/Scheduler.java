package io.vblk.scheduler;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The one gate between every device's virtqueues and the store. A {@link Policy} picks the order; this class
 * keeps the invariant that at most {@code depth} tickets are dispatched and not completed, and keeps the
 * per-flow time integrals of requests in the pipeline and of requests waiting here.
 *
 * <p>Thread-safe. Each decision is taken under the lock, in the policy's order; the dispatch itself runs
 * outside it, on whichever thread offered or completed, so several threads may dispatch at once (a RAM
 * store's copy runs on the connection's own event loop, and no one loop serves the others' requests). A
 * dispatcher that completes inline reports it with {@link #completeInline}: its drain loop goes on, so
 * nothing recurses.
 */
public final class Scheduler {
    /**
     * Hands a dispatched ticket to the store; must not block; the ticket comes back through {@link #complete},
     * or through {@link #completeInline} when the store finished it inside this call.
     */
    @FunctionalInterface
    public interface Dispatcher {
        void dispatch(Ticket t);
    }

    private final Policy policy;
    private final int depth;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private Dispatcher dispatcher;
    // guarded by lock
    private int inFlight;
    private final int[] inPipeline;
    private final int[] waiting;
    private final long[] inPipelineArea;
    private final long[] waitingArea;
    private final long[] lastChange;
    private final int[] peakPipeline;
    private final java.util.ArrayDeque<Runnable>[] roomWaiters;

    public Scheduler(Policy policy, int flows, int depth, LongSupplier clock) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1");
        }
        this.policy = policy;
        this.depth = depth;
        this.clock = clock;
        this.inPipeline = new int[flows];
        this.waiting = new int[flows];
        this.inPipelineArea = new long[flows];
        this.waitingArea = new long[flows];
        this.lastChange = new long[flows];
        this.peakPipeline = new int[flows];
        @SuppressWarnings("unchecked")
        java.util.ArrayDeque<Runnable>[] w = new java.util.ArrayDeque[flows];
        for (int i = 0; i < flows; i++) {
            w[i] = new java.util.ArrayDeque<>();
        }
        this.roomWaiters = w;
        long now = clock.getAsLong();
        java.util.Arrays.fill(lastChange, now);
    }

    /** Set once, before the first offer. */
    public void dispatcher(Dispatcher d) {
        this.dispatcher = d;
    }

    public int depth() {
        return depth;
    }

    /**
     * Enters the ticket if the policy admits its flow (dm-ioband's io-limit) and returns true; otherwise
     * returns false and runs {@code onRoom} once, later, after a ticket of that flow has left the queue.
     */
    public boolean offer(Ticket t, Runnable onRoom) {
        lock.lock();
        try {
            if (!policy.admits(t.flow)) {
                roomWaiters[t.flow].addLast(onRoom);
                return false;
            }
            enter(t);
        } finally {
            lock.unlock();
        }
        drain();
        return true;
    }

    // guarded by lock
    private void enter(Ticket t) {
        long now = clock.getAsLong();
        account(t.flow, now);
        inPipeline[t.flow]++;
        waiting[t.flow]++;
        peakPipeline[t.flow] = Math.max(peakPipeline[t.flow], inPipeline[t.flow]);
        policy.enqueue(t, now);
    }

    /** A dispatched ticket completed; this thread then dispatches what may go next. */
    public void complete(Ticket t) {
        release(t);
        drain();
    }

    /**
     * A ticket completed inside its own {@link Dispatcher#dispatch} (the store finished inline): the drain
     * loop that dispatched it takes the next ticket.
     */
    public void completeInline(Ticket t) {
        release(t);
    }

    private void release(Ticket t) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            account(t.flow, now);
            inPipeline[t.flow]--;
            inFlight--;
            policy.completed(t, now);
        } finally {
            lock.unlock();
        }
    }

    // no decision is lost between threads: every offer and completion drains after changing the state
    // under the lock, and a drain stops only when take() itself found nothing to dispatch
    private void drain() {
        Ticket t;
        while ((t = take()) != null) {
            dispatcher.dispatch(t);
            Runnable room = takeRoomWaiter(t.flow);
            if (room != null) {
                room.run();
            }
        }
    }

    private Ticket take() {
        lock.lock();
        try {
            if (inFlight >= depth) {
                return null;
            }
            long now = clock.getAsLong();
            Ticket t = policy.next(now, inFlight);
            if (t != null) {
                account(t.flow, now);
                waiting[t.flow]--;
                inFlight++;
                t.dispatchedAt = now;
                t.flowInPipelineAtDispatch = inPipeline[t.flow];
                t.inFlightAtDispatch = inFlight;
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    private Runnable takeRoomWaiter(int flow) {
        lock.lock();
        try {
            return roomWaiters[flow].pollFirst();
        } finally {
            lock.unlock();
        }
    }

    // guarded by lock: advance the time integrals of one flow to now
    private void account(int flow, long now) {
        long dt = now - lastChange[flow];
        inPipelineArea[flow] += dt * inPipeline[flow];
        waitingArea[flow] += dt * waiting[flow];
        lastChange[flow] = now;
    }

    /** A consistent copy of one flow's counters, integrals advanced to the snapshot's instant. */
    public record FlowSnapshot(long nanos, int inPipeline, int waiting, int peakInPipeline, long inPipelineArea,
                               long waitingArea) {}

    public FlowSnapshot snapshot(int flow) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            account(flow, now);
            return new FlowSnapshot(now, inPipeline[flow], waiting[flow], peakPipeline[flow], inPipelineArea[flow],
                    waitingArea[flow]);
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }
}
