package io.vblk.backend;

import io.vblk.config.DeviceConfig;
import io.vblk.config.Mode;
import io.vblk.metrics.LatencyHistogram;
import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.QueueStats;
import io.vblk.scheduler.Scheduler;
import io.vblk.store.BlockStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** A configured device: its store, its flow index in the scheduler, and its counters (per queue index). */
final class Device {
    private final DeviceConfig config;
    private final int index;
    // what live control may change, replaced whole; written by the admin thread, read by any
    private volatile Live live;
    private final BlockStore store;
    private final BlkConfig blkConfig;
    private final long features;
    final LongAdder received = new LongAdder();
    final LongAdder errors = new LongAdder();
    // requests dropped unanswered because their connection went away
    final LongAdder cancelled = new LongAdder();
    // completed requests and their data bytes by type (Reading.TYPES: read, write, other); the totals are their
    // sums, so that counting by type costs a request no more additions than the totals alone did
    private final LongAdder[] completedByType = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] bytesByType = {new LongAdder(), new LongAdder(), new LongAdder()};
    // per request Q2D and D2C: each open queue records its own on its thread (no addition shared between
    // threads); a queue that closes folds its counts in here. Guarded by this: the open queues and the folding,
    // so that a scrape never counts a closing queue twice or not at all
    private final LatencyHistogram closedQ2d = new LatencyHistogram();
    private final LatencyHistogram closedD2c = new LatencyHistogram();
    private final java.util.List<DeviceQueue> openQueues = new java.util.ArrayList<>();
    private final AtomicLongArray queueReceived;
    private final AtomicLongArray queueCompleted;
    private final AtomicIntegerArray queuePeak;
    // requests received and not yet answered or dropped, wherever they wait: virtqueue, scheduler, disk, store
    private final Occupancy held = new Occupancy();
    // chains a guest's driver made available on this device's vrings and has not got back: a vhost-user door's
    private final Occupancy outstanding = new Occupancy();

    /** The settings live control may change; {@code aioLimit} is the in-service limit aio mode would have. */
    record Live(int weight, Mode mode, int aioLimit) {
        /** Requests one queue may have in service at once: 1 in sync mode. */
        int serviceLimit() {
            return mode == Mode.SYNC ? 1 : aioLimit;
        }
    }

    Device(DeviceConfig config, int index, Mode mode, int aioLimit, BlockStore store, int segMax, int sizeMax) {
        this.config = config;
        this.index = index;
        this.live = new Live(config.weight(), mode, aioLimit);
        this.store = store;
        this.blkConfig = new BlkConfig(config.capacitySectors(), VirtioBlk.SECTOR_SIZE, segMax, sizeMax, config.queues(),
                config.queueSize(), config.maxDiscardSectors(), config.maxDiscardSeg(), config.maxWriteZeroesSectors(),
                config.maxWriteZeroesSeg());
        long f = VirtioBlk.bit(VirtioBlk.F_BLK_SIZE) | VirtioBlk.bit(VirtioBlk.F_FLUSH)
                | VirtioBlk.bit(VirtioBlk.F_DISCARD) | VirtioBlk.bit(VirtioBlk.F_WRITE_ZEROES);
        if (config.readOnly()) {
            f |= VirtioBlk.bit(VirtioBlk.F_RO);
        }
        if (config.queues() > 1) {
            f |= VirtioBlk.bit(VirtioBlk.F_MQ);
        }
        this.features = f;
        this.queueReceived = new AtomicLongArray(config.queues());
        this.queueCompleted = new AtomicLongArray(config.queues());
        this.queuePeak = new AtomicIntegerArray(config.queues());
    }

    String name() {
        return config.name();
    }

    int index() {
        return index;
    }

    DeviceConfig config() {
        return config;
    }

    Mode mode() {
        return live.mode();
    }

    int weight() {
        return live.weight();
    }

    /** Requests one queue may have in service at once now (the mode's limit). */
    int serviceLimit() {
        return live.serviceLimit();
    }

    Live live() {
        return live;
    }

    /** Live control: from the next admission on, the device's queues follow {@code next}. */
    void live(Live next) {
        live = next;
    }

    BlockStore store() {
        return store;
    }

    BlkConfig blkConfig() {
        return blkConfig;
    }

    long features() {
        return features;
    }

    void received(int queue, long now) {
        held.up(now);
        received.increment();
        queueReceived.incrementAndGet(queue);
    }

    /** A received request will never be answered: its connection is gone. */
    void cancelled(int queue, long now) {
        held.down(now);
        cancelled.increment();
        queueCompleted.incrementAndGet(queue);
    }

    void completed(int queue, int type, int status, int dataBytes, long now) {
        held.down(now);
        queueCompleted.incrementAndGet(queue);
        int t = typeIndex(type);
        completedByType[t].increment();
        if (status != VirtioBlk.S_OK) {
            errors.increment();
        } else {
            bytesByType[t].add(dataBytes);
        }
    }

    // the index in Reading.TYPES: read, write, and everything else (flush, discard, write-zeroes, get-id, unknown)
    private static int typeIndex(int type) {
        return type == VirtioBlk.T_IN ? 0 : type == VirtioBlk.T_OUT ? 1 : 2;
    }

    /** A queue of this device opened: its Q2D and D2C count from now on. */
    synchronized void opened(DeviceQueue q) {
        openQueues.add(q);
    }

    /** A queue closed: what it recorded stays counted, in the device's own histograms. */
    synchronized void closed(DeviceQueue q) {
        if (openQueues.remove(q)) {
            closedQ2d.add(q.q2d);
            closedD2c.add(q.d2c);
        }
    }

    /** Q2D of every request served so far, the open queues' and the closed ones'. */
    synchronized LatencyHistogram q2d() {
        return closedQ2d.plus(openQueues.stream().map(q -> q.q2d).toList());
    }

    /** D2C likewise. */
    synchronized LatencyHistogram d2c() {
        return closedD2c.plus(openQueues.stream().map(q -> q.d2c).toList());
    }

    /** Requests received and not yet answered or dropped, now. */
    long heldNow() {
        return held.count();
    }

    /** Requests completed (answered), of every type. */
    long completed() {
        return total(completedByType);
    }

    /** Data bytes moved by requests completed without error, of every type. */
    long bytes() {
        return total(bytesByType);
    }

    private static long total(LongAdder[] a) {
        long n = 0;
        for (LongAdder x : a) {
            n += x.sum();
        }
        return n;
    }

    long[] completedByType() {
        return sums(completedByType);
    }

    long[] bytesByType() {
        return sums(bytesByType);
    }

    private static long[] sums(LongAdder[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].sum();
        }
        return out;
    }

    /** A guest's driver has {@code delta} more chains outstanding on a vring of this device. Any thread. */
    void driverOutstanding(int delta, long now) {
        outstanding.add(delta, now);
    }

    /** One virtqueue of this index had {@code n} requests in the request path; the queue's peak is the largest. */
    void inService(int queue, int n) {
        queuePeak.accumulateAndGet(queue, n, Math::max);
    }

    /** The device's counters; the request path's figures come from the scheduler's snapshot {@code s} at {@code now}. */
    io.vblk.result.DeviceStats stats(Scheduler.FlowSnapshot s, long now) {
        List<QueueStats> queues = new ArrayList<>();
        for (int q = 0; q < queueReceived.length(); q++) {
            queues.add(new QueueStats(q, queueReceived.get(q), queueCompleted.get(q), queuePeak.get(q)));
        }
        Live l = live;
        return new io.vblk.result.DeviceStats(name(), l.weight(), l.mode().label(), received.sum(), completed(),
                errors.sum(), bytes(), s.peakInScheduler(), s.inSchedulerArea(), s.waitingArea(), s.backloggedNanos(),
                s.dispatched(), s.dispatchedAllBacklogged(), held.area(now), queues, s.idleNanos(),
                s.idleArrivals(), s.idleTimeouts(), outstanding.area(now), s.depth() == 0 ? null
                        : new io.vblk.result.DeviceStats.Depth(s.depth(), s.depthArea(), s.latencyMisses(), pairs(s.depthSeries())));
    }

    private static List<long[]> pairs(long[] flat) {
        List<long[]> out = new ArrayList<>(flat.length / 2);
        for (int i = 0; i < flat.length; i += 2) {
            out.add(new long[] {flat[i], flat[i + 1]});
        }
        return out;
    }
}
