package io.vblk.scheduler;

/**
 * A request as the scheduler sees it: which flow (device) it belongs to and what it costs. The backend's
 * request extends this class, so scheduling allocates nothing per request. The request keeps its own
 * timestamps; the scheduler hands it the ones it takes under its lock ({@link #entered}, {@link #dispatched}),
 * so that a request log's stamps are the scheduler's own clock readings.
 */
public abstract class Ticket {
    /** Index of the flow in the scheduler's weight table. */
    public final int flow;
    /** Bytes moved (0 for FLUSH and the like); what a policy charges for it is {@link CostModel}'s. */
    public final long bytes;
    /** True for anything but a read: the linear cost model charges writes apart. */
    public final boolean write;
    // the scheduler's, under its lock: handed to the dispatcher and not yet past the drain loop's next decision;
    // a completion that finds it set is inline, and that loop takes the next ticket
    boolean inDispatch;
    // the scheduler's, under its lock: the instant the ticket entered it (latency-driven depth measures from it)
    long enteredAt;
    // the scheduler's, under its lock: the policy that queued it, which decides its turn and hears of its
    // completion even after a live change replaced it for newer tickets
    Policy policy;

    /** A read of {@code bytes}. */
    protected Ticket(int flow, long bytes) {
        this(flow, bytes, false);
    }

    protected Ticket(int flow, long bytes, boolean write) {
        this.flow = flow;
        this.bytes = bytes;
        this.write = write;
    }

    /** Under the scheduler's lock: the ticket entered it at {@code at} (its clock). */
    protected void entered(long at) {}

    /**
     * Under the scheduler's lock: it chose this ticket at {@code at}, in decision order although several threads
     * then dispatch; {@code flowInScheduler} tickets of this flow were in it (waiting or dispatched) and
     * {@code dispatchedNow} of every flow dispatched and not completed, this one included.
     */
    protected void dispatched(long at, int flowInScheduler, int dispatchedNow) {}

    /**
     * Read once at completion: the modeled instant the disk's slot fell free for this ticket while no other
     * request was queued to take it, or 0 (no disk, or the slot was taken at once). The scheduler counts the
     * time from then as dispatch lag.
     */
    protected long slotFreeSince() {
        return 0;
    }
}
