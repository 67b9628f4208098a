package io.vblk.scheduler;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The one gate between every device's virtqueues and the store. A {@link Policy} picks the order; this class
 * keeps the invariant that at most {@code depth} tickets are dispatched and not completed, and keeps the
 * per-flow time integrals of requests in the scheduler (waiting or dispatched) and of those waiting, and the figures that say
 * whether the policy could act at all: how long each flow had a request waiting (backlogged), how long every
 * member flow was backlogged at once, which flows' dispatches were decided then, and how long a decision stood
 * pending while no thread took it (dispatch lag). A flow is a member while a door has a queue attached to it.
 *
 * <p>Thread-safe. Each decision is taken under the lock, in the policy's order; the dispatch itself runs
 * outside it, on whichever thread offered or completed, so several threads may dispatch at once (a RAM
 * store's copy runs on the connection's own event loop, and no one loop serves the others' requests). A
 * ticket completed inside its own dispatch (a store that finishes inline) is recognised by {@link #complete}
 * itself: the drain loop that dispatched it takes the next decision, so nothing recurses. An offer takes the
 * lock once, and so does a completion that has nothing to dispatch; each dispatch adds one acquisition, the
 * one that also hands back the room waiter its departure opened.
 *
 * <p>Idling (CFQ's and BFQ's slice_idle, {@link Idling}): the device of the last dispatch not injected is the
 * one being served. While it has no request waiting and one dispatched, and for up to {@code idle} after its
 * last completes, no other device is dispatched: its next request, if it comes in time, then competes with
 * theirs under the policy. With inject, other devices may meanwhile have up to slots less what the served
 * device can use dispatched. An idle period ends in an arrival or times out; both are counted per device.
 * When the policy or an idle period holds every waiting ticket back, a {@link Timer} wakes the scheduler
 * at the instant one may go.
 *
 * <p>Latency-driven depth (Linux's io.latency, {@link DepthControl}): each device has its own depth, the most
 * of its requests in the scheduler (waiting or dispatched) at once; an offer beyond it is refused like one over
 * io-limit, and its room opens when one of the device's requests completes. Per window the scheduler takes each
 * targeted device's mean latency from entry to completion; when one misses its target, every device that did
 * not miss has its depth halved (down to 1); a window in which none missed grows every depth by max / 16
 * (at least 1) up to max.
 *
 * <p>Live changes ({@link #replacePolicy}, {@link #depth(int)}, {@link #idling(Idling)}) take effect between two
 * decisions, under the lock. A replaced policy keeps the tickets it queued and decides their turns before the
 * new one's, so a request admitted under a rule leaves under it; the new policy takes every ticket after.
 */
public final class Scheduler {
    /** Runs a task at an instant of the scheduler's clock, or later; on any thread. */
    @FunctionalInterface
    public interface Timer {
        void at(long nanos, Runnable task);

        /** For a scheduler whose policy never holds back and that never idles. */
        Timer NONE = (nanos, task) -> {
            throw new IllegalStateException("this scheduler has no timer");
        };
    }

    /**
     * Idling: {@code idleNanos} 0 is off; {@code slots} is what the disk serves at once (injection fills
     * what the served device cannot use of them).
     */
    public record Idling(long idleNanos, boolean inject, int slots) {
        public static final Idling OFF = new Idling(0, false, 1);

        /** As BFQ does, idling only when the weights differ. */
        public static Idling of(java.time.Duration idle, boolean inject, int slots, int[] weights) {
            boolean differ = java.util.Arrays.stream(weights).distinct().count() > 1;
            return differ && !idle.isZero() ? new Idling(idle.toNanos(), inject, slots) : OFF;
        }
    }

    /**
     * Latency-driven depth: {@code targetNanos[f]} is flow f's latency target (0: none); {@code windowNanos} the
     * length of a measuring window (0: off); {@code max} the depth every flow starts at and grows back to.
     */
    public record DepthControl(long[] targetNanos, long windowNanos, int max) {
        public static final DepthControl OFF = new DepthControl(new long[0], 0, 0);
        /** io.latency's window: 16 times the tightest target, from 100 ms to 1 s. */
        public static final long MIN_WINDOW = 100_000_000L;
        public static final long MAX_WINDOW = 1_000_000_000L;
        /** The most depth changes a flow's series keeps (the latest). */
        public static final int SERIES = 1024;

        /** Off when no flow has a target. */
        public static DepthControl of(int max, long[] targetNanos) {
            long tightest = java.util.Arrays.stream(targetNanos).filter(t -> t > 0).min().orElse(0);
            return tightest == 0 ? OFF
                    : new DepthControl(targetNanos, Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, 16 * tightest)), max);
        }

        public boolean on() {
            return windowNanos > 0;
        }

        /** What a window in which no flow missed adds to each depth: io.latency's max / 16, at least 1. */
        public int step() {
            return Math.max(1, max >> 4);
        }
    }

    /** Hands a dispatched ticket to the store; must not block; the ticket comes back through {@link #complete}. */
    @FunctionalInterface
    public interface Dispatcher {
        void dispatch(Ticket t);
    }

    // guarded by lock: the policy new tickets enter; policies that live changes replaced, oldest first, each
    // until the tickets it queued have all been dispatched
    private Policy policy;
    private final java.util.ArrayDeque<Retiring> retiring = new java.util.ArrayDeque<>();
    // guarded by lock (a live change may set it)
    private int depth;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Dispatcher dispatcher;
    // guarded by lock (a live change may set it)
    private Idling idling;
    private final Timer timer;
    private final Runnable wake = this::wake;
    // guarded by lock
    private int dispatchedNow;
    private final int[] inScheduler;
    private final int[] waiting;
    private final long[] inSchedulerArea;
    private final long[] waitingArea;
    private final long[] lastChange;
    private final int[] peakInScheduler;
    private final java.util.ArrayDeque<Runnable>[] roomWaiters;
    private final long[] backloggedNanos;
    private final long[] dispatched;
    private final long[] dispatchedAllBacklogged;
    // member flows: attached queues per flow, flows with any, and those of them with a request waiting
    private final int[] members;
    private int memberFlows;
    private int backloggedMembers;
    private int waitingTotal;
    private long allBackloggedNanos;
    private long allBackloggedSince = -1;
    // a dispatch has been possible since then (requests waiting, depth not reached), or -1
    private long decisionPendingSince = -1;
    private long lagNanos;
    private long lagCountedUntil;
    // decisions that dispatched nothing while tickets waited and the depth had room (idling or the policy held back)
    private long holds;
    // the device being served (its last dispatch was not injected), or -1
    private int active = -1;
    // an idle period for active is open since then, or -1
    private long idleSince = -1;
    private final long[] idleNanos;
    private final long[] idleArrivals;
    private final long[] idleTimeouts;
    // the earliest instant the timer is armed for, or Long.MAX_VALUE
    private long armedAt = Long.MAX_VALUE;
    private final DepthControl control;
    // cap[f]: the most tickets of f in the scheduler at once (Integer.MAX_VALUE while control is off)
    private final int[] cap;
    // since capSince[f], cap[f] has stood; capArea[f] integrates cap over time before it
    private final long[] capArea;
    private final long[] capSince;
    // the current window opened at windowStart; latSum[f] / latCount[f] is flow f's mean latency in it so far
    private long windowStart;
    private final long[] latSum;
    private final long[] latCount;
    private final boolean[] missed;
    private final long[] misses;
    // series of flow f: the last seriesCount[f] (at most SERIES) changes of cap[f], a ring from seriesNext[f]
    private final long[][] seriesAt;
    private final int[][] seriesDepth;
    private final int[] seriesNext;
    private final int[] seriesCount;
    // room waiters moved here under the lock, run by the completing thread after it (only with control on)
    private final java.util.ArrayDeque<Runnable> rooms = new java.util.ArrayDeque<>();

    public Scheduler(Policy policy, int flows, int depth, LongSupplier clock, Dispatcher dispatcher) {
        this(policy, flows, depth, clock, dispatcher, Idling.OFF, Timer.NONE);
    }

    public Scheduler(Policy policy, int flows, int depth, LongSupplier clock, Dispatcher dispatcher, Idling idling,
                     Timer timer) {
        this(policy, flows, depth, clock, dispatcher, idling, timer, DepthControl.OFF);
    }

    public Scheduler(Policy policy, int flows, int depth, LongSupplier clock, Dispatcher dispatcher, Idling idling,
                     Timer timer, DepthControl control) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1");
        }
        this.policy = policy;
        this.dispatcher = dispatcher;
        this.depth = depth;
        this.clock = clock;
        this.inScheduler = new int[flows];
        this.waiting = new int[flows];
        this.inSchedulerArea = new long[flows];
        this.waitingArea = new long[flows];
        this.lastChange = new long[flows];
        this.peakInScheduler = new int[flows];
        @SuppressWarnings("unchecked")
        java.util.ArrayDeque<Runnable>[] w = new java.util.ArrayDeque[flows];
        for (int i = 0; i < flows; i++) {
            w[i] = new java.util.ArrayDeque<>();
        }
        this.roomWaiters = w;
        this.backloggedNanos = new long[flows];
        this.dispatched = new long[flows];
        this.dispatchedAllBacklogged = new long[flows];
        this.members = new int[flows];
        this.idling = idling;
        this.timer = timer;
        this.idleNanos = new long[flows];
        this.idleArrivals = new long[flows];
        this.idleTimeouts = new long[flows];
        long now = clock.getAsLong();
        java.util.Arrays.fill(lastChange, now);
        if (control.on() && (control.targetNanos().length != flows || control.max() < 1)) {
            throw new IllegalArgumentException("one latency target per flow and a max depth of at least 1");
        }
        this.control = control;
        this.cap = new int[flows];
        java.util.Arrays.fill(cap, control.on() ? control.max() : Integer.MAX_VALUE);
        this.capArea = new long[flows];
        this.capSince = new long[flows];
        java.util.Arrays.fill(capSince, now);
        this.windowStart = now;
        this.latSum = new long[flows];
        this.latCount = new long[flows];
        this.missed = new boolean[flows];
        this.misses = new long[flows];
        int series = control.on() ? DepthControl.SERIES : 0;
        this.seriesAt = new long[flows][series];
        this.seriesDepth = new int[flows][series];
        this.seriesNext = new int[flows];
        this.seriesCount = new int[flows];
        for (int f = 0; f < flows && control.on(); f++) {
            record(f, now);
        }
    }

    public int depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** A policy a live change replaced, and how many of the tickets it queued are still waiting in it. */
    private static final class Retiring {
        final Policy policy;
        // guarded by the scheduler's lock
        int queued;

        Retiring(Policy policy, int queued) {
            this.policy = policy;
            this.queued = queued;
        }
    }

    /**
     * A live change: tickets offered from now on enter {@code successor} (built for the same flows); those
     * waiting now keep their policy, which dispatches them before any of the successor's.
     */
    public void replacePolicy(Policy successor) {
        changed(() -> {
            int queuedNow = waitingTotal - retiring.stream().mapToInt(r -> r.queued).sum();
            if (queuedNow > 0) {
                retiring.addLast(new Retiring(policy, queuedNow));
            }
            policy = successor;
        });
    }

    /** A live change of the most tickets dispatched at once; not while latency-driven depth is on. */
    public void depth(int newDepth) {
        if (newDepth < 1) {
            throw new IllegalArgumentException("depth must be at least 1");
        }
        if (control.on()) {
            throw new IllegalStateException("latency-driven depth sets each flow's depth itself");
        }
        changed(() -> depth = newDepth);
    }

    /** A live change of idling; an idle period open now ends (counted as idle time, neither arrival nor timeout). */
    public void idling(Idling newIdling) {
        changed(() -> {
            long now = clock.getAsLong();
            if (idleSince >= 0) {
                idleNanos[active] += Math.min(now - idleSince, idling.idleNanos());
                idleSince = -1;
            }
            if (newIdling.idleNanos() == 0) {
                active = -1;
            }
            idling = newIdling;
        });
    }

    // applies a change under the lock, then takes the decisions it allows and lets every refused offer retry
    private void changed(Runnable change) {
        Ticket next;
        lock.lock();
        try {
            change.run();
            long now = clock.getAsLong();
            decisionPossible(now);
            next = take(now);
            for (java.util.ArrayDeque<Runnable> w : roomWaiters) {
                for (Runnable r = w.pollFirst(); r != null; r = w.pollFirst()) {
                    rooms.addLast(r);
                }
            }
        } finally {
            lock.unlock();
        }
        drain(next);
        runRooms();
    }

    /** A door attached a queue to this flow: from now on the flow counts in "every flow backlogged". */
    public void join(int flow) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            if (members[flow]++ == 0) {
                memberFlows++;
                if (waiting[flow] > 0) {
                    backloggedMembers++;
                }
                allBacklogged(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A queue of this flow was detached. */
    public void leave(int flow) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            if (--members[flow] == 0) {
                memberFlows--;
                if (waiting[flow] > 0) {
                    backloggedMembers--;
                }
                allBacklogged(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Enters the ticket if the policy admits its flow (dm-ioband's io-limit) and the flow is under its depth
     * (latency-driven depth) and returns true; otherwise
     * returns false and runs {@code onRoom} once, later, after a ticket of that flow has left the queue. A
     * ticket is offered again only once its {@link #complete} has returned outside its own dispatch.
     */
    public boolean offer(Ticket t, Runnable onRoom) {
        Ticket next;
        lock.lock();
        try {
            if (!policy.admits(t.flow) || inScheduler[t.flow] >= cap[t.flow]) {
                roomWaiters[t.flow].addLast(onRoom);
                return false;
            }
            next = take(enter(t));
        } finally {
            lock.unlock();
        }
        drain(next);
        return true;
    }

    // guarded by lock; returns the instant it read, which the same section's decision reuses
    private long enter(Ticket t) {
        long now = clock.getAsLong();
        t.enteredAt = now;
        t.entered(now);
        account(t.flow, now);
        inScheduler[t.flow]++;
        peakInScheduler[t.flow] = Math.max(peakInScheduler[t.flow], inScheduler[t.flow]);
        waitingChanged(t.flow, +1, now);
        if (idleSince >= 0 && t.flow == active) {
            idleNanos[active] += now - idleSince;
            idleArrivals[active]++;
            idleSince = -1;
        }
        t.policy = policy;
        policy.enqueue(t, now);
        decisionPossible(now);
        return now;
    }

    /**
     * A dispatched ticket completed. On any thread; if the ticket is still inside its own dispatch (the
     * store finished inline), the drain loop that dispatched it goes on; otherwise this thread dispatches
     * what may go next.
     */
    public void complete(Ticket t) {
        Ticket next = null;
        lock.lock();
        try {
            long now = release(t);
            if (!t.inDispatch) {
                next = take(now);
            }
        } finally {
            lock.unlock();
        }
        drain(next);
        if (control.on()) {
            runRooms();
        }
    }

    // the room waiters a completion or a grown depth released, outside the lock
    private void runRooms() {
        for (;;) {
            Runnable r;
            lock.lock();
            try {
                r = rooms.pollFirst();
            } finally {
                lock.unlock();
            }
            if (r == null) {
                return;
            }
            r.run();
        }
    }

    // guarded by lock; returns the instant it read
    private long release(Ticket t) {
        long now = clock.getAsLong();
        account(t.flow, now);
        // a disk slot stood free by the model while this completion had not reached us, and requests
        // waited: had the backend's threads been on time, one would have taken that slot
        long slotFreeSince = t.slotFreeSince();
        if (slotFreeSince > 0 && waitingTotal > 0) {
            lagNanos += Math.max(0, now - Math.max(slotFreeSince, lagCountedUntil));
            lagCountedUntil = now;
        }
        inScheduler[t.flow]--;
        dispatchedNow--;
        t.policy.completed(t, now);
        if (control.on()) {
            latSum[t.flow] += now - t.enteredAt;
            latCount[t.flow]++;
            if (now - windowStart >= control.windowNanos()) {
                endWindow(now);
            }
            Runnable room = inScheduler[t.flow] < cap[t.flow] ? roomWaiters[t.flow].pollFirst() : null;
            if (room != null) {
                rooms.addLast(room);
            }
        }
        if (idling.idleNanos() > 0 && t.flow == active && inScheduler[active] == 0) {
            idleSince = now;
        }
        decisionPossible(now);
        return now;
    }

    // no decision is lost between threads: every offer and completion decides after changing the state under
    // the lock, and a drain stops only when take() itself found nothing to dispatch. A completion that saw
    // inDispatch set took its lock before the section below that clears it, so that section sees it.
    private void drain(Ticket t) {
        while (t != null) {
            dispatcher.dispatch(t);
            Runnable room;
            lock.lock();
            try {
                t.inDispatch = false;
                // the dispatched ticket left its flow's queue: one refused offer of that flow may retry, unless
                // the flow is at its latency-driven depth, which only a completion lowers
                room = inScheduler[t.flow] < cap[t.flow] ? roomWaiters[t.flow].pollFirst() : null;
                // at full depth there is nothing to decide: no clock read
                t = dispatchedNow >= depth ? null : take(clock.getAsLong());
            } finally {
                lock.unlock();
            }
            if (room != null) {
                room.run();
            }
        }
    }

    // the timer's task: whatever fell due goes now
    private void wake() {
        Ticket next;
        lock.lock();
        try {
            armedAt = Long.MAX_VALUE;
            next = take(clock.getAsLong());
        } finally {
            lock.unlock();
        }
        drain(next);
    }

    // guarded by lock: the policy's next ticket at now, marked as in dispatch, or null
    private Ticket take(long now) {
        if (dispatchedNow >= depth) {
            return null;
        }
        boolean held = held(now);
        Ticket t = held && !injectable() ? null : next(now);
        if (t == null && waitingTotal > 0) {
            holds++;
            long at = Math.min(wakeAt(), idleSince >= 0 ? idleSince + idling.idleNanos() : Long.MAX_VALUE);
            if (at < armedAt) {
                armedAt = at;
                timer.at(at, wake);
            }
        }
        if (decisionPendingSince >= 0) {
            // a held-back ticket is the policy's choice, not lag
            if (t != null) {
                lagNanos += now - decisionPendingSince;
            }
            decisionPendingSince = -1;
        }
        if (t != null) {
            if (!held) {
                active = t.flow;
            }
            account(t.flow, now);
            dispatched[t.flow]++;
            if (allBackloggedSince >= 0) {
                dispatchedAllBacklogged[t.flow]++;
            }
            waitingChanged(t.flow, -1, now);
            dispatchedNow++;
            t.inDispatch = true;
            t.dispatched(now, inScheduler[t.flow], dispatchedNow);
        }
        return t;
    }

    // guarded by lock: the replaced policies' tickets first, oldest policy first, then the current policy's
    private Ticket next(long now) {
        for (java.util.Iterator<Retiring> it = retiring.iterator(); it.hasNext(); ) {
            Retiring r = it.next();
            Ticket t = r.policy.next(now, dispatchedNow);
            if (t != null) {
                if (--r.queued == 0) {
                    it.remove();
                }
                return t;
            }
        }
        return policy.next(now, dispatchedNow);
    }

    // guarded by lock
    private long wakeAt() {
        long at = policy.wakeAt();
        for (Retiring r : retiring) {
            at = Math.min(at, r.policy.wakeAt());
        }
        return at;
    }

    // guarded by lock: true while the served device has nothing waiting and a request dispatched or an idle
    // period open; closes a period that timed out
    private boolean held(long now) {
        if (idling.idleNanos() == 0 || active < 0 || waiting[active] > 0) {
            return false;
        }
        if (idleSince >= 0 && now - idleSince >= idling.idleNanos()) {
            idleNanos[active] += idling.idleNanos();
            idleTimeouts[active]++;
            idleSince = -1;
            active = -1;
            return false;
        }
        return idleSince >= 0 || inScheduler[active] > 0;
    }

    // guarded by lock, while held: injection may dispatch another device into a slot the served one cannot use
    private boolean injectable() {
        return idling.inject() && dispatchedNow - inScheduler[active] < idling.slots() - peakInScheduler[active];
    }

    // guarded by lock: io.latency's decision at the end of a window; a flow that had no completion in it did not miss
    private void endWindow(long now) {
        boolean anyMissed = false;
        long[] target = control.targetNanos();
        for (int f = 0; f < cap.length; f++) {
            missed[f] = target[f] > 0 && latCount[f] > 0 && latSum[f] > target[f] * latCount[f];
            if (missed[f]) {
                misses[f]++;
                anyMissed = true;
            }
            latSum[f] = 0;
            latCount[f] = 0;
        }
        for (int f = 0; f < cap.length; f++) {
            int to = anyMissed ? (missed[f] ? cap[f] : Math.max(1, cap[f] >> 1))
                    : Math.min(control.max(), cap[f] + control.step());
            if (to != cap[f]) {
                boolean grew = to > cap[f];
                capArea[f] += (now - capSince[f]) * cap[f];
                capSince[f] = now;
                cap[f] = to;
                record(f, now);
                // a grown depth may let every refused offer of the flow in; those still over it are refused again
                for (Runnable r = grew ? roomWaiters[f].pollFirst() : null; r != null; r = roomWaiters[f].pollFirst()) {
                    rooms.addLast(r);
                }
            }
        }
        windowStart = now;
    }

    // guarded by lock: the flow's depth series takes cap[f] at now (the ring keeps the latest SERIES)
    private void record(int f, long now) {
        int n = seriesAt[f].length;
        seriesAt[f][seriesNext[f]] = now;
        seriesDepth[f][seriesNext[f]] = cap[f];
        seriesNext[f] = (seriesNext[f] + 1) % n;
        seriesCount[f] = Math.min(n, seriesCount[f] + 1);
    }

    // guarded by lock: advance the time integrals of one flow to now
    private void account(int flow, long now) {
        long dt = now - lastChange[flow];
        inSchedulerArea[flow] += dt * inScheduler[flow];
        waitingArea[flow] += dt * waiting[flow];
        if (waiting[flow] > 0) {
            backloggedNanos[flow] += dt;
        }
        lastChange[flow] = now;
    }

    // guarded by lock, after account(flow, now)
    private void waitingChanged(int flow, int delta, long now) {
        int before = waiting[flow];
        waiting[flow] = before + delta;
        waitingTotal += delta;
        if (members[flow] > 0 && (before == 0) != (waiting[flow] == 0)) {
            backloggedMembers += before == 0 ? 1 : -1;
            allBacklogged(now);
        }
    }

    // guarded by lock: opens or closes the interval during which every member flow has a request waiting
    private void allBacklogged(long now) {
        boolean all = memberFlows > 0 && backloggedMembers == memberFlows;
        if (all && allBackloggedSince < 0) {
            allBackloggedSince = now;
        } else if (!all && allBackloggedSince >= 0) {
            allBackloggedNanos += now - allBackloggedSince;
            allBackloggedSince = -1;
        }
    }

    // guarded by lock: the thread that changed the state drains next; the time until a dispatch is lag
    private void decisionPossible(long now) {
        if (decisionPendingSince < 0 && waitingTotal > 0 && dispatchedNow < depth) {
            decisionPendingSince = now;
        }
    }

    /** A consistent copy of one flow's counters, integrals advanced to the snapshot's instant. */
    /**
     * With latency-driven depth, {@code depth} is the flow's depth now (0 when off), {@code depthArea} its time
     * integral (depth-nanoseconds), {@code latencyMisses} the windows in which it missed its target, and
     * {@code depthSeries} its latest depth changes as pairs (instant, depth), oldest first, its initial depth first
     * while the ring has not wrapped.
     */
    public record FlowSnapshot(int inScheduler, int waiting, int peakInScheduler, long inSchedulerArea, long waitingArea,
                               long backloggedNanos, long dispatched, long dispatchedAllBacklogged, long idleNanos,
                               long idleArrivals, long idleTimeouts, int depth, long depthArea, long latencyMisses,
                               long[] depthSeries) {}

    /**
     * Every flow's counters at one instant, and the scheduler's own: time every member flow was backlogged
     * and dispatch lag, both in nanoseconds since the scheduler was built.
     */
    public record Snapshot(long nanos, long allBackloggedNanos, long lagNanos, java.util.List<FlowSnapshot> flows) {}

    public Snapshot snapshot() {
        lock.lock();
        try {
            long now = clock.getAsLong();
            java.util.List<FlowSnapshot> flows = new java.util.ArrayList<>(inScheduler.length);
            for (int f = 0; f < inScheduler.length; f++) {
                account(f, now);
                long idle = idleNanos[f] + (idleSince >= 0 && f == active ? Math.min(now - idleSince, idling.idleNanos()) : 0);
                boolean on = control.on();
                flows.add(new FlowSnapshot(inScheduler[f], waiting[f], peakInScheduler[f], inSchedulerArea[f],
                        waitingArea[f], backloggedNanos[f], dispatched[f], dispatchedAllBacklogged[f], idle,
                        idleArrivals[f], idleTimeouts[f], on ? cap[f] : 0,
                        on ? capArea[f] + (now - capSince[f]) * cap[f] : 0, misses[f], series(f)));
            }
            long all = allBackloggedNanos + (allBackloggedSince >= 0 ? now - allBackloggedSince : 0);
            long lag = lagNanos + (decisionPendingSince >= 0 ? now - decisionPendingSince : 0);
            return new Snapshot(now, all, lag, flows);
        } finally {
            lock.unlock();
        }
    }

    // guarded by lock: flow f's depth series, oldest first
    private long[] series(int f) {
        int n = seriesCount[f];
        long[] out = new long[2 * n];
        int len = seriesAt[f].length;
        for (int i = 0; i < n; i++) {
            int at = (seriesNext[f] - n + i + len) % len;
            out[2 * i] = seriesAt[f][at];
            out[2 * i + 1] = seriesDepth[f][at];
        }
        return out;
    }

    /**
     * Decisions that dispatched nothing while requests waited and the depth had room: idling held the others
     * back, or the policy did (ioband's throttle, mclock's limits). One hold lasts as many decisions as are taken
     * during it (each offer and completion takes one).
     */
    public long holds() {
        lock.lock();
        try {
            return holds;
        } finally {
            lock.unlock();
        }
    }

    public int dispatchedNow() {
        lock.lock();
        try {
            return dispatchedNow;
        } finally {
            lock.unlock();
        }
    }
}
