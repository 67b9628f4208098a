package io.vblk.scheduler;

/**
 * A request as the scheduler sees it: which flow (device) it belongs to and what it costs. The backend's
 * in-flight request extends this class, so scheduling allocates nothing per request. The tag fields belong
 * to whichever policy holds the ticket.
 */
public abstract class Ticket {
    /** Index of the flow in the scheduler's weight table. */
    public final int flow;
    /** Bytes moved (0 for FLUSH and the like); a policy charges one token per request or per sector. */
    public final long bytes;
    /** Policy-owned scratch: SFQ's start tag. */
    public double startTag;
    /** Policy-owned scratch: SFQ's finish tag. */
    public double finishTag;
    /** When the ticket joined the emulated disk's queue (nanoseconds); written by the disk. */
    public long diskArrival;
    /**
     * Written by the disk when the ticket's time was up: the modeled instant its slot fell free, if no other
     * request was queued to take it; otherwise 0.
     */
    public long slotFreeSince;
    /** When the ticket entered the scheduler (its clock), written under its lock. */
    public long enteredAt;
    /**
     * When the scheduler chose this ticket (its clock), written under its lock: in decision order, even though
     * several threads then dispatch outside the lock.
     */
    public long dispatchedAt;
    /** At dispatch: this flow's tickets in the scheduler (waiting or dispatched); written by the Scheduler. */
    public int flowInPipelineAtDispatch;
    /** At dispatch: tickets of every flow dispatched and not completed, this one included. */
    public int inFlightAtDispatch;

    protected Ticket(int flow, long bytes) {
        this.flow = flow;
        this.bytes = bytes;
    }
}
