package io.vblk.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A whole {@link Scheduler} on a virtual clock: its timer is the simulation's event queue, its dispatcher a
 * disk of {@code slots} slots serving each ticket for {@code serviceNanos}, first come first served. Flow f
 * has {@code processes[f]} processes that each submit a ticket at the start, and the next one
 * {@code think[f]} after the last completed (a closed loop, like an O_DIRECT process). Every dispatch is
 * recorded with its instant; events at one instant run in the order they were scheduled. An offer the
 * scheduler refuses (io-limit, a flow's latency-driven depth) is made again, with a new ticket, when its room
 * opens, at that instant.
 */
final class SchedulerSim {
    /** One dispatch: which flow, when. */
    record Dispatch(int flow, long at) {}

    private record Event(long at, long seq, Runnable task) {}

    private final class SimTicket extends Ticket {
        SimTicket(int flow) {
            super(flow, 4096);
        }

        @Override
        protected void dispatched(long at, int flowInScheduler, int dispatchedNow) {
            log.add(new Dispatch(flow, at));
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final ArrayDeque<Ticket> diskQueue = new ArrayDeque<>();
    private final List<Dispatch> log = new ArrayList<>();
    private final int slots;
    private final long serviceNanos;
    private final long[] think;
    private final Scheduler scheduler;
    private long now;
    private long seq;
    private int busy;

    SchedulerSim(Policy policy, int depth, Scheduler.Idling idling, int slots, long serviceNanos, long[] think) {
        this(policy, depth, idling, Scheduler.DepthControl.OFF, slots, serviceNanos, think);
    }

    SchedulerSim(Policy policy, int depth, Scheduler.Idling idling, Scheduler.DepthControl control, int slots,
                 long serviceNanos, long[] think) {
        this.slots = slots;
        this.serviceNanos = serviceNanos;
        this.think = think;
        this.scheduler = new Scheduler(policy, think.length, depth, () -> now, this::dispatch, idling,
                (at, task) -> at(at, task), control);
    }

    /** Submits the processes' first tickets at {@code start} and runs until {@code until}. */
    SchedulerSim run(long start, long until, int... processes) {
        for (int f = 0; f < processes.length; f++) {
            scheduler.join(f);
            for (int p = 0; p < processes[f]; p++) {
                int flow = f;
                at(start, () -> submit(flow));
            }
        }
        while (!events.isEmpty() && events.peek().at <= until) {
            Event e = events.poll();
            now = e.at;
            e.task.run();
        }
        now = until;
        return this;
    }

    List<Dispatch> dispatches() {
        return log;
    }

    /** Dispatches of the flow up to now. */
    long count(int flow) {
        return log.stream().filter(d -> d.flow() == flow).count();
    }

    long holds() {
        return scheduler.holds();
    }

    Scheduler.FlowSnapshot flow(int f) {
        return scheduler.snapshot().flows().get(f);
    }

    private void at(long t, Runnable task) {
        events.add(new Event(t, seq++, task));
    }

    private void submit(int flow) {
        scheduler.offer(new SimTicket(flow), () -> at(now, () -> submit(flow)));
    }

    private void dispatch(Ticket t) {
        if (busy < slots) {
            start(t);
        } else {
            diskQueue.addLast(t);
        }
    }

    private void start(Ticket t) {
        busy++;
        at(now + serviceNanos, () -> {
            busy--;
            Ticket next = diskQueue.pollFirst();
            if (next != null) {
                start(next);
            }
            scheduler.complete(t);
            at(now + think[t.flow], () -> submit(t.flow));
        });
    }
}
