package io.vblk.backend;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one connection's held requests keep alive, against {@code limits.max-connection-memory}. A request's
 * data is a retained slice of the decoder's read buffer, and a slice pins that whole buffer: so the budget
 * counts each buffer that slices are cut from once, at its capacity, for as long as any slice of it is held
 * ({@link #pin}); fixed costs without a buffer are counted with {@link #hold}. Crossing the limit either way
 * calls {@code crossed} (the read gate's re-check) on the thread that crossed it: upwards always the event
 * loop, downwards any thread.
 */
public final class MemoryBudget {
    // one budget per connection (per queue of a vhost-user session): its number names that connection in the
    // request log, counted per backend process
    private static final AtomicLong CONNECTIONS = new AtomicLong();
    private final long connection = CONNECTIONS.incrementAndGet();

    /** The number of the connection this budget belongs to, from 1, for the request log's {@code conn}. */
    public long connection() {
        return connection;
    }

    /** One buffer pinned by held slices; released by the last of them. */
    public static final class Pin {
        private final MemoryBudget budget;
        private final ByteBuf root;
        private final int bytes;
        // holders of this pin; at 0 the bytes were given back and the pin is dead (never revived)
        private final AtomicInteger holders = new AtomicInteger(1);

        private Pin(MemoryBudget budget, ByteBuf root, int bytes) {
            this.budget = budget;
            this.root = root;
            this.bytes = bytes;
        }

        /** From any thread, once per {@link #pin} that returned this: that slice was stored or dropped. */
        public void release() {
            if (holders.decrementAndGet() == 0) {
                budget.unhold(bytes);
            }
        }

        // on the budget's event loop: another slice of the same buffer, unless the last holder already left
        private boolean join() {
            for (int n = holders.get(); n > 0; n = holders.get()) {
                if (holders.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final long max;
    private final Runnable crossed;
    // written on the event loop when a request arrives, and on whichever thread stored its data
    private final AtomicLong held = new AtomicLong();
    // the event loop's: the pin of the buffer slices were last cut from; consecutive requests mostly share it
    private Pin last;

    public MemoryBudget(long max, Runnable crossed) {
        this.max = max;
        this.crossed = crossed;
    }

    /**
     * On the event loop: {@code data} is held until the returned pin is released; its whole underlying buffer
     * counts (once, however many held slices share it). Returns null for data that pins no memory.
     */
    public Pin pin(ByteBuf data) {
        if (data.capacity() == 0) {
            return null;
        }
        ByteBuf root = data;
        for (ByteBuf under = root.unwrap(); under != null; under = root.unwrap()) {
            root = under;
        }
        if (last != null && last.root == root && last.join()) {
            return last;
        }
        last = new Pin(this, root, Math.max(root.capacity(), data.readableBytes()));
        hold(last.bytes);
        return last;
    }

    /** On the event loop: {@code bytes} that no buffer accounts for are held until {@link #unhold}. */
    public void hold(long bytes) {
        long now = held.addAndGet(bytes);
        if (now > max && now - bytes <= max) {
            crossed.run();
        }
    }

    /** From any thread: {@code bytes} held earlier are free again. */
    public void unhold(long bytes) {
        long now = held.addAndGet(-bytes);
        if (now <= max && now + bytes > max) {
            crossed.run();
        }
    }

    public boolean over() {
        return held.get() > max;
    }

    long held() {
        return held.get();
    }
}
