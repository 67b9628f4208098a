package io.vblk.scheduler;

import java.util.ArrayDeque;

/** One FIFO of queued tickets per flow, and their total. Allocates only when a flow's deque grows. */
final class FlowQueues {
    private final ArrayDeque<Ticket>[] queues;
    // total == sum of queues[f].size()
    private int total;

    @SuppressWarnings("unchecked")
    FlowQueues(int flows) {
        queues = (ArrayDeque<Ticket>[]) new ArrayDeque<?>[flows];
        for (int f = 0; f < flows; f++) {
            queues[f] = new ArrayDeque<>();
        }
    }

    /** Appends the ticket to its flow's queue; true when that queue was empty before. */
    boolean add(Ticket t) {
        ArrayDeque<Ticket> q = queues[t.flow];
        q.addLast(t);
        total++;
        return q.size() == 1;
    }

    /** Removes and returns the head of a non-empty flow queue. */
    Ticket poll(int flow) {
        total--;
        return queues[flow].removeFirst();
    }

    /** The head of the flow's queue, or null when it is empty. */
    Ticket peek(int flow) {
        return queues[flow].peekFirst();
    }

    int size(int flow) {
        return queues[flow].size();
    }

    int total() {
        return total;
    }
}
