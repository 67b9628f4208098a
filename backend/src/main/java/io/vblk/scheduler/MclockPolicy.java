package io.vblk.scheduler;

/**
 * mClock (Gulati et al., OSDI 2010) with dmClock's tag rules: each flow has a reservation r and a limit l in
 * IOPS (0: none) and a weight w; a request costs c = its {@link CostModel} cost over what a 4 KiB read costs.
 * <ul>
 * <li>A flow's head ticket is tagged when it becomes the head: R = max(last R + c/r, now) and
 * L = max(last L + c/l, now), in nanoseconds; P = last P + c/w.</li>
 * <li>A flow whose queue was empty is re-based: P = max(last P + c/w, the P tag of the last ticket the weight
 * phase dispatched), so a pause earns it no credit over the flows that stayed busy. Within
 * anticipation-timeout of emptying it is not re-based, and its R and L are floored at the instant it emptied
 * instead of now (dmClock's anticipation: a short pause keeps its place).</li>
 * <li>next(): a flow whose head R is due (R <= now) goes first, smallest R first (the reservation phase);
 * otherwise, among flows under their limit (L <= now), the smallest P (the weight phase); otherwise null
 * and {@link #wakeAt()} says when an R or L falls due.</li>
 * <li>A weight-phase dispatch takes back its R advance (mClock: R tags of the flow's later requests drop by
 * c/r), so reservations count only the service the reservation phase gave.</li>
 * </ul>
 * Three indexed heaps (due-by-R, ready-by-P, limited-by-L) make each call O(log flows) and allocation-free;
 * ties go to the smaller flow index.
 */
public final class MclockPolicy implements Policy {
    private final double[] rSpacing;
    private final double[] lSpacing;
    private final double[] pSpacing;
    private final long anticipation;
    private final CostModel cost;
    private final double unit;
    private final FlowQueues queues;
    // holds exactly the flows with queued tickets and a reservation, keyed by head R
    private final FlowHeap byR;
    // holds exactly the flows with queued tickets and head L <= the last now seen, keyed by head P
    private final FlowHeap ready;
    // holds exactly the other flows with queued tickets (head L in the future), keyed by head L
    private final FlowHeap limited;
    // tags of each flow's head ticket (valid while it has one) and of its last tagged ticket
    private final double[] headR;
    private final double[] headL;
    private final double[] headP;
    private final double[] lastR;
    private final double[] lastL;
    private final double[] lastP;
    // when each flow's queue last became empty, or -1 before its first ticket
    private final long[] emptiedAt;
    // the P tag of the last weight-phase dispatch: where a returning flow starts
    private double virtualP;

    /**
     * @param reservations IOPS per flow, 0 for none; @param limits IOPS per flow, 0 for none;
     * @param anticipationNanos how long an emptied flow keeps its tags
     */
    public MclockPolicy(int[] weights, int[] reservations, int[] limits, long anticipationNanos, CostModel cost) {
        Policies.requirePositive(weights);
        int n = weights.length;
        if (reservations.length != n || limits.length != n) {
            throw new IllegalArgumentException("one reservation and one limit per flow");
        }
        this.rSpacing = new double[n];
        this.lSpacing = new double[n];
        this.pSpacing = new double[n];
        for (int f = 0; f < n; f++) {
            if (reservations[f] < 0 || limits[f] < 0 || (limits[f] > 0 && reservations[f] > limits[f])) {
                throw new IllegalArgumentException("flow " + f + ": reservation " + reservations[f] + " and limit "
                        + limits[f] + " must be 0 (none) or positive, reservation at most limit");
            }
            rSpacing[f] = reservations[f] == 0 ? 0 : 1e9 / reservations[f];
            lSpacing[f] = limits[f] == 0 ? 0 : 1e9 / limits[f];
            pSpacing[f] = 1.0 / weights[f];
        }
        this.anticipation = anticipationNanos;
        this.cost = cost;
        this.unit = cost.unit();
        this.queues = new FlowQueues(n);
        this.byR = new FlowHeap(n);
        this.ready = new FlowHeap(n);
        this.limited = new FlowHeap(n);
        this.headR = new double[n];
        this.headL = new double[n];
        this.headP = new double[n];
        this.lastR = new double[n];
        this.lastL = new double[n];
        this.lastP = new double[n];
        this.emptiedAt = new long[n];
        java.util.Arrays.fill(emptiedAt, -1);
    }

    @Override
    public void enqueue(Ticket t, long now) {
        int f = t.flow;
        if (queues.add(t)) {
            boolean anticipated = emptiedAt[f] >= 0 && now - emptiedAt[f] <= anticipation;
            tagHead(f, anticipated ? emptiedAt[f] : now, !anticipated, now);
        }
    }

    @Override
    public Ticket next(long now, int dispatchedNow) {
        // flows whose limit tag fell due are under their limit again
        for (int f = limited.peek(); f >= 0 && headL[f] <= now; f = limited.peek()) {
            limited.remove(f);
            ready.insert(f, headP[f]);
        }
        int f = byR.peek();
        if (f >= 0 && headR[f] <= now) {
            return dispatch(f, true, now);
        }
        f = ready.peek();
        return f < 0 ? null : dispatch(f, false, now);
    }

    /** The earliest instant a queued ticket's R or L tag falls due; Long.MAX_VALUE when none waits on one. */
    @Override
    public long wakeAt() {
        double at = Double.POSITIVE_INFINITY;
        int f = byR.peek();
        if (f >= 0) {
            at = headR[f];
        }
        f = limited.peek();
        if (f >= 0) {
            at = Math.min(at, headL[f]);
        }
        return at == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : (long) Math.ceil(at);
    }

    @Override
    public void completed(Ticket t, long now) {}

    @Override
    public int queued(int flow) {
        return queues.size(flow);
    }

    private Ticket dispatch(int f, boolean reservation, long now) {
        Ticket t = queues.poll(f);
        double c = cost.of(t) / unit;
        if (rSpacing[f] > 0) {
            byR.remove(f);
            // the weight phase served it: its reservation is still owed
            lastR[f] = reservation ? headR[f] : headR[f] - c * rSpacing[f];
        }
        lastL[f] = headL[f];
        lastP[f] = headP[f];
        if (!reservation) {
            virtualP = headP[f];
        }
        if (ready.contains(f)) {
            ready.remove(f);
        } else {
            limited.remove(f);
        }
        if (queues.size(f) > 0) {
            tagHead(f, now, false, now);
        } else {
            emptiedAt[f] = now;
        }
        return t;
    }

    // tags flow f's head ticket, R and L floored at floor, and files the flow in the heaps as of now
    private void tagHead(int f, long floor, boolean rebase, long now) {
        double c = cost.of(queues.peek(f)) / unit;
        headP[f] = lastP[f] + c * pSpacing[f];
        if (rebase) {
            headP[f] = Math.max(headP[f], virtualP);
        }
        if (rSpacing[f] > 0) {
            headR[f] = Math.max(lastR[f] + c * rSpacing[f], floor);
            byR.insert(f, headR[f]);
        }
        headL[f] = lSpacing[f] > 0 ? Math.max(lastL[f] + c * lSpacing[f], floor) : Double.NEGATIVE_INFINITY;
        if (headL[f] <= now) {
            ready.insert(f, headP[f]);
        } else {
            limited.insert(f, headL[f]);
        }
    }
}
