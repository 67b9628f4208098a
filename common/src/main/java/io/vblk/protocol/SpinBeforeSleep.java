package io.vblk.protocol;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An event loop's choice before it waits for I/O: for up to {@code spinNanos} after its last work it polls
 * (a non-blocking epoll_wait or selectNow, yielding the CPU between polls) instead of sleeping, so that a
 * reply or request that comes back within one round trip finds the thread running rather than a halted CPU
 * to wake, and (on epoll) a task handed to it needs no eventfd write; past that it sleeps as usual, so an idle
 * loop costs nothing. Confined to its loop's thread.
 */
public final class SpinBeforeSleep implements SelectStrategy {
    private final long spinNanos;
    private final LongSupplier clock;
    // when the loop last had events or tasks, or woke from a sleep
    private long lastWork;
    // the previous call chose SELECT: this call is the first after a sleep, which something ended
    private boolean slept;

    public SpinBeforeSleep(long spinNanos, LongSupplier clock) {
        this.spinNanos = spinNanos;
        this.clock = clock;
        this.lastWork = clock.getAsLong();
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        long now = clock.getAsLong();
        if (ready > 0 || hasTasks || slept) {
            slept = false;
            lastWork = now;
            return ready;
        }
        if (now - lastWork < spinNanos) {
            // another runnable thread on this CPU (a loop with work) goes first
            Thread.yield();
            return SelectStrategy.CONTINUE;
        }
        slept = true;
        return SelectStrategy.SELECT;
    }
}
