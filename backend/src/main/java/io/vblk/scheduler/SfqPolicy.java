package io.vblk.scheduler;

/**
 * Start-time fair queueing, SFQ(D) (Goyal et al.; Jain et al. for the depth-D variant); work-conserving.
 * <ul>
 * <li>On enqueue: start = max(virtual time, flow's last finish); finish = start + cost / weight.</li>
 * <li>The flow's last finish becomes the ticket's finish tag; tickets of one flow leave in FIFO order.</li>
 * <li>next() dispatches the flow head with the smallest start tag, ties to the smaller flow index.</li>
 * <li>Virtual time is the start tag of the last dispatched ticket.</li>
 * </ul>
 * A heap of backlogged flows keyed by their head's start tag makes every call O(log flows). The tags are the
 * policy's own: a start tag per queued ticket, in a ring per flow beside the flow's queue (a ticket's finish
 * tag is needed only as its flow's last finish).
 */
public final class SfqPolicy implements Policy {
    private final double[] weight;
    private final CostModel cost;
    private final FlowQueues queues;
    // holds exactly the flows with queued tickets, keyed by their head's start tag
    private final FlowHeap heads;
    private final double[] lastFinish;
    // starts[f] holds the start tags of flow f's queued tickets in queue order, startCount[f] of them from
    // startHead[f]; each ring's length is a power of two
    private final double[][] starts;
    private final int[] startHead;
    private final int[] startCount;
    private double virtualTime;

    public SfqPolicy(int[] weights, CostModel cost) {
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
        this.starts = new double[n][8];
        this.startHead = new int[n];
        this.startCount = new int[n];
    }

    @Override
    public void enqueue(Ticket t, long now) {
        int f = t.flow;
        double start = Math.max(virtualTime, lastFinish[f]);
        lastFinish[f] = start + cost.of(t) / weight[f];
        pushStart(f, start);
        if (queues.add(t)) {
            heads.insert(f, start);
        }
    }

    @Override
    public Ticket next(long now, int dispatchedNow) {
        int f = heads.peek();
        if (f < 0) {
            return null;
        }
        Ticket t = queues.poll(f);
        virtualTime = popStart(f);
        if (startCount[f] == 0) {
            heads.remove(f);
        } else {
            heads.update(f, headStart(f));
        }
        return t;
    }

    /** The start tag of flow {@code f}'s head ticket; the flow has one queued. */
    double headStart(int f) {
        return starts[f][startHead[f]];
    }

    /** The finish tag of the last ticket flow {@code f} enqueued. */
    double lastFinish(int f) {
        return lastFinish[f];
    }

    // allocates only when a flow's backlog outgrows its ring
    private void pushStart(int f, double start) {
        double[] ring = starts[f];
        if (startCount[f] == ring.length) {
            double[] grown = new double[ring.length * 2];
            for (int i = 0; i < startCount[f]; i++) {
                grown[i] = ring[(startHead[f] + i) & (ring.length - 1)];
            }
            starts[f] = ring = grown;
            startHead[f] = 0;
        }
        ring[(startHead[f] + startCount[f]++) & (ring.length - 1)] = start;
    }

    private double popStart(int f) {
        double start = starts[f][startHead[f]];
        startHead[f] = (startHead[f] + 1) & (starts[f].length - 1);
        startCount[f]--;
        return start;
    }

    @Override
    public void completed(Ticket t, long now) {}

    @Override
    public int queued(int flow) {
        return queues.size(flow);
    }
}
