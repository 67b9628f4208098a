package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ProtocolException;
import io.vblk.protocol.VirtioBlk;
import io.vblk.requestlog.RecordBatch;
import io.vblk.requestlog.RecordLog;
import io.vblk.requestlog.RequestRecord;

/**
 * The device side of one queue of one attached client (a virtqueue, in virtio's words), apart from any
 * transport: it takes its device, the door's {@link CompletionSink} and the connection's
 * {@link MemoryBudget}, and no channel. Keeps the invariant that a descriptor id is in flight at most once
 * and never beyond the queue size; checks each request and either answers it at once (a status the spec
 * prescribes) or hands it to the mode's {@link ServicePolicy}. Confined to the sink's executor except
 * {@link #completed}, {@link #enteredService} and {@link #leftService}.
 */
final class DeviceQueue {
    private final Device device;
    private final int index;
    private final long features;
    // the event loop's: descriptor ids in flight
    private final boolean[] inUse;
    private final ServicePolicy service;
    private final CompletionSink sink;
    private final MemoryBudget budget;
    private final java.util.function.LongSupplier clock;
    private final io.vblk.scheduler.Scheduler scheduler;
    // requests of this virtqueue in the request path: up before the scheduler takes one, down when the store is done
    private final java.util.concurrent.atomic.AtomicInteger inService = new java.util.concurrent.atomic.AtomicInteger();
    private final RecordLog log;
    // records of replies not yet handed to the log: at most MAX_BATCH, for at most FLUSH_MS, so that the log's
    // writer thread wakes a few hundred times a second rather than once per completion
    private RecordBatch batch;
    private static final int MAX_BATCH = 512;
    private static final long FLUSH_MS = 2;

    // this queue's Q2D and D2C, written on its thread only (reply), read by a scrape through its device
    final io.vblk.metrics.LatencyHistogram.Local q2d = new io.vblk.metrics.LatencyHistogram.Local();
    final io.vblk.metrics.LatencyHistogram.Local d2c = new io.vblk.metrics.LatencyHistogram.Local();

    /**
     * Queue {@code index} of {@code device} with the driver's {@code features} and {@code size} descriptors:
     * it answers into {@code sink} and counts the request data it holds against {@code budget}.
     */
    DeviceQueue(Device device, int index, long features, int size, CompletionSink sink, MemoryBudget budget,
                RequestPath path) {
        this.device = device;
        this.index = index;
        this.features = features;
        this.sink = sink;
        this.budget = budget;
        this.inUse = new boolean[size];
        this.clock = path.clock();
        this.log = path.requestLog();
        this.service = new ServicePolicy(this, sink, path);
        this.scheduler = path.scheduler();
        scheduler.join(device.index());
        device.opened(this);
    }

    Device device() {
        return device;
    }

    int index() {
        return index;
    }

    /**
     * Runs {@code task} on the queue's thread; if it has already shut down (the backend is closing and gave
     * up draining), the request is dropped and its buffers released instead.
     */
    void onLoop(IoRequest r, Runnable task) {
        try {
            sink.executor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            r.discard();
        }
    }

    void writabilityChanged() {
        service.writabilityChanged();
    }

    /** The guest's driver has {@code delta} more chains outstanding on this queue (a vring). */
    void driverOutstanding(int delta) {
        device.driverOutstanding(delta, clock.getAsLong());
    }

    /** On the queue's thread: how many more requests the mode would take into service now. */
    int room() {
        return service.room();
    }

    /** Takes ownership of {@code req}. Throws ProtocolException for a descriptor the driver may not use now. */
    void arrive(BlkRequest req, long seq) {
        long now = clock.getAsLong();
        int desc = req.descriptor();
        if (desc >= inUse.length) {
            req.release();
            throw new ProtocolException(ErrorCode.QUEUE_OVERFLOW, "queue " + index + " of " + device.name()
                    + ": descriptor id " + desc + " is outside the queue of " + inUse.length
                    + " entries (more requests in flight than queue-size allows)");
        }
        if (inUse[desc]) {
            req.release();
            throw new ProtocolException(ErrorCode.DESCRIPTOR_IN_USE, "queue " + index + " of " + device.name()
                    + ": descriptor id " + desc + " is still in flight");
        }
        inUse[desc] = true;
        device.received(index, now);
        IoRequest r = new IoRequest(req, this, seq, now);
        int status = RequestCheck.status(req, device, features);
        if (status != VirtioBlk.S_OK) {
            r.status = status;
            req.release();
            r.tI = r.tD = r.tC = now;
            reply(r);
            return;
        }
        r.hold(budget);
        service.arrived(r);
    }

    /** Called by the request path on the completing thread. */
    void completed(IoRequest r) {
        service.completed(r);
    }

    /** A request of this queue enters the request path; returns how many are in it now. Any thread. */
    int enteredService() {
        return inService.incrementAndGet();
    }

    /** A request of this queue left the request path (the store is done with it), or never entered. Any thread. */
    void leftService() {
        inService.decrementAndGet();
    }

    long now() {
        return clock.getAsLong();
    }

    /** On the event loop: frees the descriptor and hands the answer, and the read data with it, to the sink. */
    void reply(IoRequest r) {
        inUse[r.req.descriptor()] = false;
        r.tR = clock.getAsLong();
        if (r.served) {
            // the stamps were written on other threads before the hand-offs that led back to this one
            q2d.record(r.tD - r.tQ);
            d2c.record(r.tC - r.tD);
        }
        int moved = r.req.type() == VirtioBlk.T_OUT ? r.req.length() : r.used;
        device.completed(index, r.req.type(), r.status, moved, r.tR);
        if (log != null) {
            logReply(r);
        }
        ByteBuf data = r.readData != null ? r.readData : Unpooled.EMPTY_BUFFER;
        r.readData = null;
        sink.answer(index, r.req.descriptor(), r.noSpace ? CompletionSink.S_NO_SPACE : r.status, r.used, data);
    }

    /** On the event loop, when the connection is gone: a last flush, since scheduled ones die with the loop. */
    void close() {
        scheduler.leave(device.index());
        device.closed(this);
        service.close();
        if (log != null) {
            flushLog();
        }
    }

    private void logReply(IoRequest r) {
        if (batch == null) {
            batch = new RecordBatch(64);
            sink.executor().schedule(this::flushLog, FLUSH_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        batch.add(record(r));
        if (batch.size() >= MAX_BATCH) {
            flushLog();
        }
    }

    private void flushLog() {
        if (batch != null) {
            log.write(batch);
            batch = null;
        }
    }

    private RequestRecord record(IoRequest r) {
        BlkRequest q = r.req;
        return new RequestRecord(device.name(), index, q.descriptor(), r.seq, VirtioBlk.typeName(q.type()), q.sector(),
                q.length(), VirtioBlk.statusName(r.status), device.weight(), device.mode().label(), r.tQ, r.tI,
                r.tD, r.tC, r.tR, r.flowInSchedulerAtDispatch, r.dispatchedTotalAtDispatch, budget.connection());
    }
}
