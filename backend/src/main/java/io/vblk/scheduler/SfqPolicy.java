package io.vblk.scheduler;

import io.vblk.config.SchedulerConfig;

/**
 * Start-time fair queueing, SFQ(D) (Goyal et al.; Jain et al. for the depth-D variant); work-conserving.
 * <ul>
 * <li>On enqueue: start = max(virtual time, flow's last finish); finish = start + cost / weight.</li>
 * <li>The flow's last finish becomes the ticket's finish tag; tickets of one flow leave in FIFO order.</li>
 * <li>next() dispatches the flow head with the smallest start tag, ties to the smaller flow index.</li>
 * <li>Virtual time is the start tag of the last dispatched ticket.</li>
 * </ul>
 * A heap of backlogged flows keyed by their head's start tag makes every call O(log flows).
 */
public final class SfqPolicy implements Policy {
    private final double[] weight;
    private final SchedulerConfig.Cost cost;
    private final FlowQueues queues;
    // holds exactly the flows with queued tickets, keyed by their head's start tag
    private final FlowHeap heads;
    private final double[] lastFinish;
    private double virtualTime;

    public SfqPolicy(int[] weights, SchedulerConfig.Cost cost) {
        Policies.requirePositive(weights);
        int n = weights.length;
        this.weight = new double[n];
        for (int f = 0; f < n; f++) {
            weight[f] = weights[f];
        }
        this.cost = cost;
        this.queues = new FlowQueues(n);
        this.heads = new FlowHeap(n);
        this.lastFinish = new double[n];
    }

    @Override
    public void enqueue(Ticket t, long now) {
        int f = t.flow;
        t.startTag = Math.max(virtualTime, lastFinish[f]);
        t.finishTag = t.startTag + Policies.cost(t, cost) / weight[f];
        lastFinish[f] = t.finishTag;
        if (queues.add(t)) {
            heads.insert(f, t.startTag);
        }
    }

    @Override
    public Ticket next(long now, int inFlight) {
        int f = heads.peek();
        if (f < 0) {
            return null;
        }
        Ticket t = queues.poll(f);
        virtualTime = t.startTag;
        Ticket head = queues.peek(f);
        if (head == null) {
            heads.remove(f);
        } else {
            heads.update(f, head.startTag);
        }
        return t;
    }

    @Override
    public void completed(Ticket t, long now) {}

    @Override
    public int queued(int flow) {
        return queues.size(flow);
    }
}
