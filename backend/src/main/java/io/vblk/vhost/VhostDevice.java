package io.vblk.vhost;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.vblk.backend.Exports;
import io.vblk.protocol.BlkConfig;
import java.util.concurrent.ExecutionException;

/**
 * One vblk device as one vhost-user front-end sees it, for the length of its session: the features and
 * config it offers, and its running vrings, each a {@link Vring} on an event loop of the backend's. The
 * session's thread calls every method but {@link #broke}.
 */
final class VhostDevice implements Session.Device, Vring.Owner {
    /** virtio-blk feature bits the door adds to the device's: the request size limits of virtio_blk_config. */
    static final int F_SIZE_MAX = 1;
    static final int F_SEG_MAX = 2;
    /** Transport features: indirect descriptor tables, and VIRTIO 1.0 (little-endian throughout). */
    static final int F_INDIRECT_DESC = 28;
    static final int F_VERSION_1 = 32;

    private final String name;
    private final Exports exports;
    private final EventLoopGroup loops;
    private final long maxMemory;
    private final BlkConfig config;
    // the session's thread's
    private final Vring[] rings;
    private volatile boolean broken;

    VhostDevice(String name, Exports exports, EventLoopGroup loops, long maxMemory) {
        this.name = name;
        this.exports = exports;
        this.loops = loops;
        this.maxMemory = maxMemory;
        this.config = exports.blkConfig(name);
        this.rings = new Vring[config.numQueues()];
    }

    @Override
    public long features() {
        return exports.features(name) | 1L << F_SIZE_MAX | 1L << F_SEG_MAX | 1L << F_INDIRECT_DESC | 1L << F_VERSION_1;
    }

    @Override
    public int queues() {
        return rings.length;
    }

    @Override
    public byte[] config() {
        return ConfigSpace.of(config);
    }

    @Override
    public void started(int index, SplitQueue queue, GuestMemory memory, long features, int kickFd, int callFd,
                        int errFd) {
        IoEventLoop loop = (IoEventLoop) loops.next();
        try {
            Vring r = loop.submit(() -> new Vring(name, index, loop, queue, memory, features, kickFd, callFd, errFd,
                    exports, maxMemory, this)).get();
            rings[index] = r;
            loop.execute(r::start);
        } catch (ExecutionException e) {
            throw new IllegalStateException("starting vring " + index, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting vring " + index);
        }
    }

    @Override
    public int stopped(int index) {
        Vring r = rings[index];
        rings[index] = null;
        return r.stop();
    }

    @Override
    public void signalsChanged(int index, int callFd, int errFd) {
        rings[index].signalsChanged(callFd, errFd);
    }

    @Override
    public boolean broken() {
        return broken;
    }

    @Override
    public void reset() {
        broken = false;
    }

    @Override
    public void broke(int index, String why) {
        broken = true;
    }

    @Override
    public void closed() {
        // every ring was stopped first, so nothing of this session runs on a loop any more
    }
}
