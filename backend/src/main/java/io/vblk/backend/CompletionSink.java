package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * Where a {@link DeviceQueue} sends its answers: each door answers in its own protocol (virtio
 * {@code Completion} frames over TCP, NBD replies; a vhost-user door would fill a used ring). The queue
 * knows no channel; this is all it asks of its door.
 */
public interface CompletionSink {
    /** A status beyond virtio's: the store's filesystem was full. A door without a word for it says IOERR. */
    int S_NO_SPACE = 0x100;

    /**
     * The one thread the queue is confined to: requests arrive, are admitted and are answered on it, and
     * completions on other threads hop to it.
     */
    EventExecutor executor();

    /** On {@link #executor}: whether the door takes more answers now; while not, requests wait to be admitted. */
    boolean accepting();

    /**
     * On {@link #executor}: the answer to the request of {@code queue} on {@code descriptor}, which is free
     * again; {@code used} bytes of {@code data} (a READ's, else empty) were written. The reference to
     * {@code data} moves to the sink, which releases it whether or not it can still answer.
     */
    void answer(int queue, int descriptor, int status, int used, ByteBuf data);
}
