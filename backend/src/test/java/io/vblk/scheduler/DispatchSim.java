package io.vblk.scheduler;

import java.util.ArrayDeque;

/**
 * A deterministic closed-loop simulation on a virtual clock. Flow f has {@code processes[f]} processes, each
 * keeping exactly one ticket outstanding: when its ticket completes it submits the next one at once, before
 * the next dispatch decision. At most {@code depth} tickets are dispatched and not completed (the
 * {@link Scheduler}'s gate); a server of {@code servers} parallel slots serves dispatched tickets in FIFO
 * order, each for {@code serviceNanos} of virtual time whatever its size.
 */
final class DispatchSim {
    /** Bytes of the seq-th request (0-based) of a flow. */
    @FunctionalInterface
    interface Sizes {
        long bytes(int flow, long seq);
    }

    /** What the first {@code dispatches} dispatches went to, and how often the policy held back. */
    record Result(long[] dispatches, long[] bytes, long holds) {
        double share(int flow) {
            return (double) dispatches[flow] / sum(dispatches);
        }

        double byteShare(int flow) {
            return (double) bytes[flow] / sum(bytes);
        }

        private static double sum(long[] xs) {
            long s = 0;
            for (long x : xs) {
                s += x;
            }
            return s;
        }
    }

    static final class SimTicket extends Ticket {
        SimTicket(int flow, long bytes) {
            super(flow, bytes);
        }

        SimTicket(int flow, long bytes, boolean write) {
            super(flow, bytes, write);
        }
    }

    private record InService(Ticket ticket, long end) {}

    private final Policy policy;
    private final int[] processes;
    private int servers = 4;
    private int depth = 64;
    private long serviceNanos = 100_000;
    private Sizes sizes = (flow, seq) -> 4096;
    // flows whose requests are writes; the others read
    private final java.util.BitSet writers = new java.util.BitSet();

    // run state
    private long now;
    private int dispatchedNow;
    private long dispatched;
    private long holds;
    private long[] perFlow;
    private long[] bytes;
    private long[] seq;
    // in start order, which is completion order since every service takes serviceNanos
    private final ArrayDeque<InService> inService = new ArrayDeque<>();
    private final ArrayDeque<Ticket> serverQueue = new ArrayDeque<>();

    DispatchSim(Policy policy, int... processes) {
        this.policy = policy;
        this.processes = processes;
    }

    DispatchSim servers(int s) {
        servers = s;
        return this;
    }

    DispatchSim depth(int d) {
        depth = d;
        return this;
    }

    DispatchSim sizes(Sizes s) {
        sizes = s;
        return this;
    }

    /** These flows issue writes. */
    DispatchSim writes(int... flows) {
        for (int f : flows) {
            writers.set(f);
        }
        return this;
    }

    /** Runs until {@code target} tickets have been dispatched. */
    Result run(long target) {
        int n = processes.length;
        perFlow = new long[n];
        bytes = new long[n];
        seq = new long[n];
        for (int f = 0; f < n; f++) {
            for (int p = 0; p < processes[f]; p++) {
                submit(f);
            }
        }
        pump(target);
        while (dispatched < target) {
            InService done = inService.pollFirst();
            if (done == null) {
                throw new IllegalStateException("stalled: nothing in service and the policy dispatches nothing");
            }
            now = done.end();
            Ticket next = serverQueue.pollFirst();
            if (next != null) {
                inService.addLast(new InService(next, now + serviceNanos));
            }
            dispatchedNow--;
            policy.completed(done.ticket(), now);
            submit(done.ticket().flow);
            pump(target);
        }
        return new Result(perFlow, bytes, holds);
    }

    private void submit(int flow) {
        if (!policy.admits(flow)) {
            throw new IllegalStateException("flow " + flow + " exceeds the policy's io-limit; use fewer processes");
        }
        policy.enqueue(new SimTicket(flow, sizes.bytes(flow, seq[flow]++), writers.get(flow)), now);
    }

    private void pump(long target) {
        while (dispatched < target && dispatchedNow < depth) {
            Ticket t = policy.next(now, dispatchedNow);
            if (t == null) {
                if (queuedTotal() > 0) {
                    holds++;
                }
                return;
            }
            dispatchedNow++;
            dispatched++;
            perFlow[t.flow]++;
            bytes[t.flow] += t.bytes;
            if (inService.size() < servers) {
                inService.addLast(new InService(t, now + serviceNanos));
            } else {
                serverQueue.addLast(t);
            }
        }
    }

    private int queuedTotal() {
        int q = 0;
        for (int f = 0; f < processes.length; f++) {
            q += policy.queued(f);
        }
        return q;
    }
}
