package io.vblk.scheduler;

import java.util.ArrayDeque;

/** No control: tickets leave in arrival order, whatever their flow's weight. The baseline. */
public final class FifoPolicy implements Policy {
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private final int[] queued;

    public FifoPolicy(int flows) {
        this.queued = new int[flows];
    }

    @Override
    public void enqueue(Ticket t, long now) {
        queue.addLast(t);
        queued[t.flow]++;
    }

    @Override
    public Ticket next(long now, int dispatchedNow) {
        Ticket t = queue.pollFirst();
        if (t != null) {
            queued[t.flow]--;
        }
        return t;
    }

    @Override
    public void completed(Ticket t, long now) {}

    @Override
    public int queued(int flow) {
        return queued[flow];
    }
}
