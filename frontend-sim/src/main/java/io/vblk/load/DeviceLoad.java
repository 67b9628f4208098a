package io.vblk.load;

import io.netty.buffer.ByteBuf;
import io.vblk.config.LoadSpec;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.RecordLog;
import io.vblk.protocol.VirtioBlk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.HdrHistogram.Histogram;

/**
 * The guest processes of one load spec on one attached device. Each process keeps exactly one request
 * outstanding and, when it completes, takes a descriptor again (waiting FIFO when the queue is full) and issues
 * the next. Everything here runs on the client's event loop; the only field read elsewhere is the live count.
 */
final class DeviceLoad implements VirtioClient.Listener {
    static final int MAX_NOTED_MISMATCHES = 5;
    private static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(10);

    private final String name;
    private final VirtioClient client;
    private final MeasureWindow window;
    private final Consumer<String> onFailure;
    private final int blockBytes;
    private final BlockPicker picker;
    private final Virtqueue queue;
    private final GuestProcess[] processes;
    private final GuestProcess[] owner;
    private final SplittableRandom rng;
    private final ByteBuf writeTemplate;
    private final VerifyLedger ledger;
    private final LongPredicate busy;
    private final Histogram latency = new Histogram(MAX_LATENCY_US, 3);
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final List<String> mismatchNotes = new ArrayList<>();
    private volatile long completions;
    // FLUSHes acknowledged OK in this run; single writer: the event loop
    private volatile long flushesDone;
    private long ios;
    private long bytes;
    private long errors;
    private long checked;
    private long skipped;
    private long mismatches;
    private boolean stopping;
    private boolean unflushed;
    private final RecordLog log;
    private final Duration flushEvery;
    private final FlushWaiter flusher = new FlushWaiter();
    // the descriptor of the FLUSH in flight, or -1; at most one at a time, so they cannot pile up on a slow disk
    private int flushDescriptor = -1;
    private boolean flushWaiting;
    private ScheduledFuture<?> flushTimer;
    // what the FLUSH in flight covers, and its place in the request log
    private BlockMap flushCovers;
    private long flushSeq;
    private long flushSubmitNanos;
    // verify-only: the flushed blocks to read back, each once, and how many are taken
    private final long[] toVerify;
    private int verifyTaken;
    // the connection's request order, the same numbering the backend logs (one connection, one device)
    private long nextSeq;
    // the measured I/Os per --interval, or null when the run keeps no series
    private IntervalCounts intervals;

    /**
     * @param queueSize descriptors to use, at most the device's queue size
     * @param verify    write self-describing blocks and check every read of a block this run wrote
     * @param onFailure told, once, when the connection fails; thread-safe
     * @param log       the frontend's request log, or null
     * @param restored  this device's part of an earlier run's verify ledger, or null
     * @param flushEvery with verify, send a FLUSH this often to learn which writes are durable; null for never
     * @param verifyOnly read each block the ledger records as flushed once, check it, and stop; no writes
     */
    DeviceLoad(LoadSpec spec, VirtioClient client, int queueSize, boolean verify, long seed, MeasureWindow window,
               Consumer<String> onFailure, RecordLog log, LedgerFile.Device restored, Duration flushEvery,
               boolean verifyOnly) {
        this.name = spec.device();
        this.log = log;
        this.client = client;
        this.window = window;
        this.onFailure = onFailure;
        this.blockBytes = (int) spec.blockSize().bytes();
        this.picker = new BlockPicker(spec.pattern(), spec.readPercent(), blockBytes, client.config().capacity());
        this.queue = new Virtqueue(queueSize);
        this.owner = new GuestProcess[queueSize];
        this.rng = new SplittableRandom(seed);
        this.ledger = verify ? new VerifyLedger(Math.min(queueSize, spec.processes())) : null;
        if (restored != null) {
            restored.blocks().forEach(ledger::restore);
            ledger.restoreFlushes(restored.flushes());
        }
        this.flushEvery = verify && !verifyOnly ? flushEvery : null;
        this.toVerify = verifyOnly ? ledger.flushedBlocks() : null;
        this.busy = verify ? ledger::isBusy : BlockPicker.NONE_BUSY;
        this.writeTemplate = verify || !picker.writes() ? null : template(client, blockBytes);
        this.processes = new GuestProcess[spec.processes()];
        for (int i = 0; i < processes.length; i++) {
            processes[i] = new GuestProcess(picker.start(i, processes.length));
        }
    }

    /** One block of fixed, non-zero bytes; every write without verify sends a duplicate of it. */
    private static ByteBuf template(VirtioClient client, int blockBytes) {
        ByteBuf b = client.channel().alloc().directBuffer(blockBytes, blockBytes);
        for (int i = 0; i < blockBytes; i++) {
            b.writeByte(i * 31 + 7);
        }
        return b;
    }

    String name() {
        return name;
    }

    VirtioClient client() {
        return client;
    }

    /** Event loop, before {@link #start()}: count the measured I/Os per interval too. */
    void countIntervals(IntervalCounts counts) {
        this.intervals = counts;
    }

    /** Completions seen so far, measured or not: the live line's counter. Any thread. */
    long completions() {
        return completions;
    }

    /** FLUSHes acknowledged in this run, or -1 when this load does not flush: the live line's. Any thread. */
    long flushes() {
        return flushEvery == null ? -1 : flushesDone;
    }

    /** Completes when the load has stopped and no request is in flight. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** Event loop: every process issues its first request. */
    void start() {
        client.listen(this);
        for (GuestProcess p : processes) {
            if (stopping) {
                break;
            }
            next(p);
        }
        if (toVerify != null && queue.inFlight() == 0) {
            drained.complete(null); // nothing flushed to check
        }
        if (flushEvery != null) {
            flushTimer = client.eventLoop().scheduleAtFixedRate(this::flushTick, flushEvery.toNanos(), flushEvery.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        flushIfNeeded();
    }

    /** Queues {@code p} for its next request, unless a verify-only pass has no block left for it. */
    private void next(GuestProcess p) {
        if (toVerify == null) {
            queue.acquire(p);
            return;
        }
        if (verifyTaken < toVerify.length) {
            p.verifyBlock = toVerify[verifyTaken++];
            queue.acquire(p);
        }
    }

    /** Event loop, every flush-every: take a descriptor for a FLUSH unless one is waiting or in flight. */
    private void flushTick() {
        if (!stopping && !flushWaiting && flushDescriptor < 0) {
            flushWaiting = true;
            queue.acquire(flusher);
            // outside a read, nothing else would push a FLUSH granted here onto the wire
            flushIfNeeded();
        }
    }

    /** Event loop: this device's verify ledger, as it stands, for the ledger file; null without verify. */
    LedgerFile.Device ledgerRecord() {
        if (ledger == null) {
            return null;
        }
        List<VerifyLedger.Block> blocks = new ArrayList<>();
        ledger.forEach(blocks::add);
        return new LedgerFile.Device(ledger.flushes(), blocks);
    }

    /** Event loop: issue nothing more; {@link #drained()} completes when the last request comes back. */
    void stop() {
        halt();
        if (queue.inFlight() == 0) {
            drained.complete(null);
        }
    }

    /** Event loop: the counts so far; call after {@link #stop()} for final figures. */
    DeviceTally tally() {
        return new DeviceTally(name, ios, bytes, errors, latency.copy(), completions, checked, checked * blockBytes,
                skipped, mismatches, List.copyOf(mismatchNotes), queue.inFlight(),
                intervals == null ? null : intervals.snapshot());
    }

    /** Drops this load's own reference to the write template; duplicates still queued keep it alive. */
    void release() {
        if (writeTemplate != null) {
            writeTemplate.release();
        }
    }

    @Override
    public void completed(Completion c) {
        int d = c.descriptor();
        if (c.queue() != 0 || !queue.isInFlight(d)) {
            failed("completion for queue " + c.queue() + " descriptor " + d + ", which has no request in flight");
            return;
        }
        long now = System.nanoTime();
        if (d == flushDescriptor) {
            flushed(c, d, now);
            return;
        }
        GuestProcess p = owner[d];
        owner[d] = null;
        completions++; // single writer: the event loop
        boolean ok = c.status() == VirtioBlk.S_OK && (!p.read || c.data().readableBytes() == blockBytes);
        if (!ok) {
            errors++;
        }
        if (ledger != null) {
            settle(p, c.data(), ok);
        }
        if (log != null) {
            log.write(new GuestRecord(name, 0, d, p.seq, p.read ? "IN" : "OUT", picker.sector(p.block), blockBytes,
                    VirtioBlk.statusName(c.status()), p.submitNanos, now));
        }
        if (window.contains(now)) {
            ios++;
            bytes += blockBytes;
            latency.recordValue(Math.min((now - p.submitNanos) / 1000, MAX_LATENCY_US));
            if (intervals != null) {
                intervals.add(now - window.start());
            }
        }
        if (!stopping && window.ended(now)) {
            halt();
        }
        queue.release(d);
        if (!stopping) {
            next(p);
        }
        if ((stopping || toVerify != null) && queue.inFlight() == 0) {
            drained.complete(null);
        }
    }

    /** A FLUSH came back: if it succeeded, every write acknowledged before it was sent is durable. */
    private void flushed(Completion c, int d, long now) {
        flushDescriptor = -1;
        completions++;
        if (c.status() == VirtioBlk.S_OK) {
            ledger.flushed(flushCovers);
            flushesDone++;
        } else {
            errors++;
        }
        flushCovers = null;
        if (log != null) {
            log.write(new GuestRecord(name, 0, d, flushSeq, "FLUSH", 0, 0, VirtioBlk.statusName(c.status()),
                    flushSubmitNanos, now));
        }
        queue.release(d);
        if (stopping && queue.inFlight() == 0) {
            drained.complete(null);
        }
    }

    @Override
    public void readComplete() {
        flushIfNeeded();
    }

    @Override
    public void failed(String reason) {
        halt();
        onFailure.accept("device '" + name + "': " + reason);
    }

    private void halt() {
        stopping = true;
        flushWaiting = false;
        if (flushTimer != null) {
            flushTimer.cancel(false);
        }
        queue.dropWaiters();
    }

    private void flushIfNeeded() {
        if (unflushed) {
            unflushed = false;
            client.flush();
        }
    }

    /** Issues the next request of {@code p} on descriptor {@code d}. */
    private void submit(GuestProcess p, int d) {
        boolean read = toVerify != null || picker.nextIsRead(rng);
        long block = toVerify != null ? p.verifyBlock : picker.next(rng, p.cursor, busy);
        p.cursor = picker.after(block);
        p.read = read;
        p.block = block;
        long sector = picker.sector(block);
        BlkRequest request;
        if (read) {
            p.generation = ledger == null ? VerifyLedger.UNKNOWN : ledger.beginRead(block);
            request = BlkRequest.read(0, d, sector, blockBytes);
        } else if (ledger != null) {
            p.generation = ledger.beginWrite(block);
            ByteBuf data = client.channel().alloc().ioBuffer(blockBytes, blockBytes);
            request = BlkRequest.write(0, d, sector, VerifyPattern.fill(data, block, p.generation, blockBytes));
        } else {
            request = BlkRequest.write(0, d, sector, writeTemplate.retainedDuplicate());
        }
        owner[d] = p;
        p.seq = nextSeq++;
        p.submitNanos = System.nanoTime();
        client.write(request);
        unflushed = true;
    }

    /** Verify bookkeeping for the completed request of {@code p}: check a read, record a write. */
    private void settle(GuestProcess p, ByteBuf data, boolean ok) {
        if (!p.read) {
            ledger.endWrite(p.block, p.generation, ok);
            return;
        }
        ledger.endRead(p.block);
        int oldest = ledger.flushedGeneration(p.block);
        if (!ok || (p.generation == VerifyLedger.UNKNOWN && oldest == 0)) {
            skipped++;
            return;
        }
        checked++;
        // content not known exactly (a write failed, or an earlier run crashed): anything from the last
        // flushed generation to the last one sent is allowed, but whole
        String what = p.generation != VerifyLedger.UNKNOWN
                ? VerifyPattern.check(data, p.block, p.generation, blockBytes)
                : VerifyPattern.checkRange(data, p.block, oldest, ledger.newest(p.block), blockBytes);
        if (what != null) {
            mismatches++;
            if (mismatchNotes.size() < MAX_NOTED_MISMATCHES) {
                mismatchNotes.add(name + " block " + p.block + " (sector " + picker.sector(p.block) + "): " + what);
            }
        }
    }

    /** Takes the descriptor granted to the periodic FLUSH. */
    private final class FlushWaiter implements Virtqueue.Waiter {
        @Override
        public void granted(int descriptor) {
            flushWaiting = false;
            flushDescriptor = descriptor;
            // snapshot before sending: a FLUSH covers only what was acknowledged when it left
            flushCovers = ledger.ackedSnapshot();
            flushSeq = nextSeq++;
            flushSubmitNanos = System.nanoTime();
            client.write(BlkRequest.of(0, descriptor, VirtioBlk.T_FLUSH, 0, 0));
            unflushed = true;
        }
    }

    /** A guest process with one request outstanding at most; its fields describe that request. */
    private final class GuestProcess implements Virtqueue.Waiter {
        long verifyBlock;
        long cursor;
        long block;
        boolean read;
        int generation;
        long seq;
        long submitNanos;

        GuestProcess(long cursor) {
            this.cursor = cursor;
        }

        @Override
        public void granted(int descriptor) {
            submit(this, descriptor);
        }
    }
}
