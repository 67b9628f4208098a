package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vblk.disk.EmulatedDisk;
import io.vblk.requestlog.RecordLog;
import io.vblk.protocol.VirtioBlk;
import io.vblk.scheduler.Policy;
import io.vblk.scheduler.Scheduler;
import io.vblk.scheduler.Ticket;
import java.nio.charset.StandardCharsets;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import io.vblk.store.NoSpaceException;
import org.slf4j.LoggerFactory;

/**
 * The single path every request takes after its virtqueue lets it in: scheduler, optional emulated disk,
 * store, completion. Sync and aio differ only in how many requests a virtqueue lets in (see
 * {@link ServicePolicy}); nothing here knows the mode. Blocking stores run on the I/O pool, never on the
 * caller's thread; non-blocking ones (RAM) run inline.
 */
final class RequestPath {
    // a failing disk fails every request: its lines are rate-limited
    private static final ThrottledLog failures = new ThrottledLog(LoggerFactory.getLogger(RequestPath.class), 10);

    private final Scheduler scheduler;
    private final EmulatedDisk<IoRequest> disk;
    private final ExecutorService ioPool;
    private final ByteBufAllocator alloc;
    private final LongSupplier clock;
    private final RecordLog requestLog;
    // wakes the scheduler when a policy or an idle period holds back (only when one may); or null
    private final ScheduledExecutorService timer;

    /** @param timed the policy may hold tickets back until an instant (mclock's limits) or idling is on */
    RequestPath(Policy policy, int flows, int depth, Scheduler.Idling idling, Scheduler.DepthControl control, boolean timed,
                EmulatedDisk.Factory diskFactory, ExecutorService ioPool, ByteBufAllocator alloc, LongSupplier clock,
                RecordLog requestLog) {
        this.requestLog = requestLog;
        this.ioPool = ioPool;
        this.alloc = alloc;
        this.clock = clock;
        this.disk = diskFactory == null ? null : diskFactory.create(r -> r.bytes, (r, slotFreeSince) -> {
            r.slotFreeSince = slotFreeSince;
            serve(r);
        });
        this.timer = timed ? Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("vblk-sched-timer", true))
                : null;
        Scheduler.Timer wake = timer == null ? Scheduler.Timer.NONE
                : (at, task) -> timer.schedule(task, Math.max(0, at - clock.getAsLong()), TimeUnit.NANOSECONDS);
        this.scheduler = new Scheduler(policy, flows, depth, clock, this::dispatch, idling, wake, control);
    }

    Scheduler scheduler() {
        return scheduler;
    }

    LongSupplier clock() {
        return clock;
    }

    /** The emulated disk, or null when the store is served as fast as it goes. */
    EmulatedDisk<IoRequest> disk() {
        return disk;
    }

    /** The per-request log, or null when the run asked for none. */
    RecordLog requestLog() {
        return requestLog;
    }

    /**
     * Enters the scheduler, or returns false when the scheduler has no room for this device yet; then
     * {@code onRoom} runs once, later, when it may have.
     */
    boolean trySubmit(IoRequest r, Runnable onRoom) {
        // counted before the offer, which may complete the request inline
        int inService = r.queue.enteredService();
        if (!scheduler.offer(r, onRoom)) {
            r.queue.leftService();
            return false;
        }
        r.queue.device().inService(r.queue.index(), inService);
        return true;
    }

    private void dispatch(Ticket t) {
        IoRequest r = (IoRequest) t;
        if (disk != null) {
            disk.submit(r);
        } else {
            serve(r);
        }
    }

    private void serve(IoRequest r) {
        if (r.device().store().blocking()) {
            ioPool.execute(() -> perform(r));
        } else {
            perform(r);
        }
    }

    private void perform(IoRequest r) {
        try {
            execute(r);
        } catch (Exception e) {
            r.status = VirtioBlk.S_IOERR;
            r.used = 0;
            if (r.readData != null) {
                r.readData.release();
                r.readData = null;
            }
            r.noSpace = e instanceof NoSpaceException;
            failures.warn("{}: {} at sector {} failed: {}", r.device().name(), VirtioBlk.typeName(r.req.type()),
                    r.req.sector(), e.toString());
        } finally {
            r.releaseData();
        }
        r.tC = clock.getAsLong();
        // Q2D and D2C are recorded by the queue's own thread when it replies
        r.served = true;
        r.queue.leftService();
        scheduler.complete(r);
        r.queue.completed(r);
    }

    private void execute(IoRequest r) throws Exception {
        var store = r.device().store();
        switch (r.req.type()) {
            case VirtioBlk.T_IN -> {
                // a door may hand a READ the buffer to read into (a vring: the guest's own memory); else one is taken
                ByteBuf in = r.req.data();
                ByteBuf buf = in.writerIndex() == 0 && in.capacity() >= r.req.length() ? in.retain()
                        : alloc.directBuffer(r.req.length());
                r.readData = buf;
                store.read(r.offset(), buf, r.req.length());
                r.used = r.req.length();
            }
            case VirtioBlk.T_OUT -> store.write(r.offset(), r.req.data());
            case VirtioBlk.T_FLUSH -> store.flush();
            case VirtioBlk.T_GET_ID -> {
                byte[] id = r.device().name().getBytes(StandardCharsets.US_ASCII);
                int n = Math.min(Math.min(id.length, VirtioBlk.ID_BYTES), r.req.length());
                r.readData = alloc.directBuffer(n).writeBytes(id, 0, n);
                r.used = n;
            }
            case VirtioBlk.T_DISCARD, VirtioBlk.T_WRITE_ZEROES -> {
                ByteBuf segs = r.req.data();
                for (int at = segs.readerIndex(); at < segs.writerIndex(); at += VirtioBlk.SEGMENT_BYTES) {
                    long offset = segs.getLongLE(at) << VirtioBlk.SECTOR_SHIFT;
                    long length = segs.getUnsignedIntLE(at + 8) << VirtioBlk.SECTOR_SHIFT;
                    if (r.req.type() == VirtioBlk.T_DISCARD) {
                        store.discard(offset, length);
                    } else {
                        store.writeZeroes(offset, length);
                    }
                }
            }
            default -> throw new IllegalStateException("type " + r.req.type() + " passed validation");
        }
    }

    void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (disk != null) {
            disk.close();
        }
    }
}
