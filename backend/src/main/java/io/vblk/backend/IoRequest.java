package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;
import io.vblk.scheduler.Ticket;

/**
 * One request on its way through the backend: arrival, scheduler, store, reply. Owns the request's data
 * (released once the store has it) and the read buffer until it is handed to the reply.
 * Phase stamps follow blktrace: Q received, I into the scheduler, D dispatched, C completed by the store,
 * R reply written.
 */
final class IoRequest extends Ticket {
    final BlkRequest req;
    final Virtqueue vq;
    final long seq;
    int status = VirtioBlk.S_OK;
    int used;
    // the store failed with ENOSPC (status is IOERR, virtio's only word for it)
    boolean noSpace;
    ByteBuf readData;
    long tQ;
    long tI;
    long tD;
    long tC;
    long tR;
    private ReadGate gate;
    private int held;
    private boolean dataReleased;

    IoRequest(BlkRequest req, Virtqueue vq, long seq, long now) {
        super(vq.device().index(), req.type() == VirtioBlk.T_IN || req.type() == VirtioBlk.T_OUT ? req.length() : 0);
        this.req = req;
        this.vq = vq;
        this.seq = seq;
        this.tQ = now;
    }

    Device device() {
        return vq.device();
    }

    long offset() {
        return req.sector() << VirtioBlk.SECTOR_SHIFT;
    }

    /** Counts the request's data against its connection's limit until {@link #releaseData}. */
    void hold(ReadGate gate) {
        this.gate = gate;
        this.held = req.data().readableBytes();
        gate.hold(held);
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
        if (gate != null) {
            gate.unhold(held);
        }
    }

    /** Drops what the request owns without replying (its connection is gone), and counts it cancelled. */
    void discard() {
        vq.device().cancelled(vq.index(), vq.now());
        releaseData();
        if (readData != null) {
            readData.release();
            readData = null;
        }
    }
}
