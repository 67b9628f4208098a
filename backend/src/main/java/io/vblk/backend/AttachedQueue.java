package io.vblk.backend;

import io.netty.channel.Channel;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;

/**
 * One virtqueue as another protocol's adapter drives it: requests go in through {@link #submit}; each comes
 * back as a {@link Completion} written to the channel (from its tail), exactly as on a virtio connection.
 * Event loop only.
 */
public final class AttachedQueue {
    /** A completion's status when the store's filesystem was full; never on the virtio wire (IOERR there). */
    public static final int S_NO_SPACE = 0x100;
    private final DeviceQueue queue;
    private final Channel channel;
    private final ReadGate gate;
    private long seq;

    AttachedQueue(DeviceQueue queue, Channel channel) {
        this.queue = queue;
        this.channel = channel;
        this.gate = channel.pipeline().get(ReadGate.class);
    }

    /** Descriptors in the queue: at most this many requests may be submitted and not yet completed. */
    public int size() {
        return queue.device().blkConfig().queueSize();
    }

    /** Takes ownership of {@code req}, whose descriptor must be free. */
    public void submit(BlkRequest req) {
        queue.arrive(req, seq++);
    }

    public void writabilityChanged() {
        queue.writabilityChanged();
    }

    /** The connection is gone: drop what has not entered the request path. */
    public void close() {
        queue.close();
    }

    /** {@code bytes} of request data the adapter holds are counted against the connection's memory limit. */
    public void hold(int bytes) {
        gate.hold(bytes);
    }

    public void unhold(int bytes) {
        gate.unhold(bytes);
    }

    /** Reads nothing more from the connection, for good (the client said it is done). */
    public void stopReading() {
        ReadGate.stop(channel);
    }
}
