package io.vblk.scheduler;

/**
 * Decides which queued ticket is dispatched to the store next. Policies are single-threaded: the
 * {@link Scheduler} calls them under its lock, and passes the time so that tests can use a virtual clock.
 */
public interface Policy {
    /** A ticket arrived for its flow. */
    void enqueue(Ticket t, long now);

    /**
     * The ticket to dispatch now, removed from the policy's queues, or null when nothing is queued or the
     * policy holds every queued ticket back. {@code dispatchedNow} counts tickets dispatched and not yet completed.
     */
    Ticket next(long now, int dispatchedNow);

    /**
     * When next() returned null with tickets queued: the earliest instant it may return one without any other
     * event (a limit or reservation falling due), or Long.MAX_VALUE when only an arrival or a completion can.
     */
    default long wakeAt() {
        return Long.MAX_VALUE;
    }

    /** A dispatched ticket completed. */
    void completed(Ticket t, long now);

    /** Tickets of this flow waiting in the policy. */
    int queued(int flow);

    /** True when a new ticket of this flow may enter (dm-ioband's io-limit); otherwise the submitter waits. */
    default boolean admits(int flow) {
        return true;
    }
}
