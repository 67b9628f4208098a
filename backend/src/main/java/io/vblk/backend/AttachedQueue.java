package io.vblk.backend;

import io.vblk.protocol.BlkRequest;

/**
 * One device queue as another protocol's adapter drives it: requests go in through {@link #submit}; each
 * comes back through the adapter's {@link CompletionSink}, after the same path a virtio request takes.
 * On the sink's executor only.
 */
public final class AttachedQueue {
    private final DeviceQueue queue;
    private long seq;

    AttachedQueue(DeviceQueue queue) {
        this.queue = queue;
    }

    /** Takes ownership of {@code req}, whose descriptor must be free. */
    public void submit(BlkRequest req) {
        queue.arrive(req, seq++);
    }

    /**
     * How many more requests the device's mode would take into service now: 1 or 0 in sync mode. A door
     * that can leave requests where the driver put them (a vring) takes no more than this.
     */
    public int room() {
        return queue.room();
    }

    /**
     * A door that sees the driver's side of its queue (a vring) reports how many more requests the driver
     * has outstanding there, popped or not: the device's figure of what the guest asked of it.
     */
    public void driverOutstanding(int delta) {
        queue.driverOutstanding(delta);
    }

    /** The sink's {@link CompletionSink#accepting} may have changed. */
    public void writabilityChanged() {
        queue.writabilityChanged();
    }

    /** The connection is gone: drop what has not entered the request path. */
    public void close() {
        queue.close();
    }
}
