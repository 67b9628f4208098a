package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;
import io.vblk.scheduler.Ticket;

/**
 * One request on its way through the backend: arrival, scheduler, store, reply. Owns the request's data
 * (released once the store has it) and the read buffer until it is handed to the reply.
 * Phase stamps follow blktrace: Q received, I into the scheduler, D dispatched, C completed by the store,
 * R reply written; I and D are the scheduler's own clock readings, handed over under its lock.
 */
final class IoRequest extends Ticket {
    final BlkRequest req;
    final DeviceQueue queue;
    final long seq;
    int status = VirtioBlk.S_OK;
    int used;
    // the store failed with ENOSPC (status is IOERR, virtio's only word for it)
    boolean noSpace;
    // went through the scheduler and the store (its Q2D and D2C are real), set before the hop back to its queue
    boolean served;
    ByteBuf readData;
    long tQ;
    long tI;
    long tD;
    long tC;
    long tR;
    // at dispatch: this device's requests in the scheduler, and requests of every device dispatched
    int flowInSchedulerAtDispatch;
    int dispatchedTotalAtDispatch;
    // the disk model's figure (see Ticket#slotFreeSince): written on the disk's thread before the request
    // is performed, read at its completion
    long slotFreeSince;
    // what the request's data pins in its connection's budget, until releaseData; null if nothing
    private MemoryBudget.Pin pin;
    private boolean dataReleased;

    IoRequest(BlkRequest req, DeviceQueue queue, long seq, long now) {
        super(queue.device().index(), req.type() == VirtioBlk.T_IN || req.type() == VirtioBlk.T_OUT ? req.length() : 0,
                req.type() != VirtioBlk.T_IN);
        this.req = req;
        this.queue = queue;
        this.seq = seq;
        this.tQ = now;
    }

    @Override
    protected void entered(long at) {
        tI = at;
    }

    @Override
    protected void dispatched(long at, int flowInScheduler, int dispatchedNow) {
        tD = at;
        flowInSchedulerAtDispatch = flowInScheduler;
        dispatchedTotalAtDispatch = dispatchedNow;
    }

    @Override
    protected long slotFreeSince() {
        return slotFreeSince;
    }

    Device device() {
        return queue.device();
    }

    long offset() {
        return req.sector() << VirtioBlk.SECTOR_SHIFT;
    }

    /** Counts what the request's data pins against its connection's budget until {@link #releaseData}. */
    void hold(MemoryBudget budget) {
        pin = budget.pin(req.data());
    }

    /**
     * Releases the request's data once, however many paths reach here (the store took it, or the request was
     * dropped), and gives its bytes back to the connection's limit.
     */
    void releaseData() {
        if (dataReleased) {
            return;
        }
        dataReleased = true;
        req.release();
        if (pin != null) {
            pin.release();
        }
    }

    /** Drops what the request owns without replying (its connection is gone), and counts it cancelled. */
    void discard() {
        queue.device().cancelled(queue.index(), queue.now());
        releaseData();
        if (readData != null) {
            readData.release();
            readData = null;
        }
    }
}
