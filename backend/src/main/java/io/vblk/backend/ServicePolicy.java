package io.vblk.backend;

/**
 * How a virtqueue lets its requests into the {@link Pipeline}: the one thing sync and aio modes differ in.
 * {@link #arrived} and {@link #close} run on the connection's event loop; {@link #completed} on whichever
 * thread completed the request.
 */
interface ServicePolicy {
    void arrived(IoRequest r);

    void completed(IoRequest r);

    /** On the event loop: the connection's replies drained below the low water mark (or backed up). */
    default void writabilityChanged() {}

    /** The connection is gone: drop what has not entered the pipeline; what has will complete and be dropped. */
    void close();

    static ServicePolicy of(Virtqueue vq, Pipeline pipeline) {
        return vq.device().mode() == io.vblk.config.Mode.SYNC
                ? new SyncService(vq, pipeline)
                : new AioService(vq, pipeline, vq.device().inflightLimit());
    }
}
