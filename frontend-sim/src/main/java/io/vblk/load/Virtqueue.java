package io.vblk.load;

import java.util.ArrayDeque;

/**
 * The driver's side of one virtqueue: descriptor ids 0..size-1 on a free-list, and the processes waiting,
 * first come first served, for one to come back. Invariant: an id is either free or in flight, never both.
 * Not thread-safe: confined to the event loop of its device.
 */
public final class Virtqueue {
    /** A party waiting for a descriptor; {@link #granted} runs when it gets one, maybe inside acquire or release. */
    @FunctionalInterface
    public interface Waiter {
        void granted(int descriptor);
    }

    private final int[] free;
    private int freeCount;
    private final boolean[] inFlight;
    private int inFlightCount;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    public Virtqueue(int size) {
        if (size < 1 || size > 65536) {
            throw new IllegalArgumentException("queue size must be from 1 to 65536, got " + size);
        }
        free = new int[size];
        inFlight = new boolean[size];
        // lowest ids on top of the stack so a lightly loaded queue reuses the same few descriptors
        for (int i = 0; i < size; i++) {
            free[i] = size - 1 - i;
        }
        freeCount = size;
    }

    public int size() {
        return free.length;
    }

    /** Grants {@code w} a descriptor now if one is free, else queues it behind the earlier waiters. */
    public void acquire(Waiter w) {
        if (freeCount > 0 && waiters.isEmpty()) {
            w.granted(take(free[--freeCount]));
        } else {
            waiters.addLast(w);
        }
    }

    /** Returns an in-flight id; the oldest waiter, if any, gets it at once. */
    public void release(int descriptor) {
        if (!isInFlight(descriptor)) {
            throw new IllegalStateException("descriptor " + descriptor + " is not in flight");
        }
        inFlight[descriptor] = false;
        inFlightCount--;
        Waiter w = waiters.pollFirst();
        if (w != null) {
            w.granted(take(descriptor));
        } else {
            free[freeCount++] = descriptor;
        }
    }

    public boolean isInFlight(int descriptor) {
        return descriptor >= 0 && descriptor < inFlight.length && inFlight[descriptor];
    }

    public int inFlight() {
        return inFlightCount;
    }

    public int waiting() {
        return waiters.size();
    }

    /** Forgets every waiter (the run is stopping); ids in flight stay in flight until released. */
    public void dropWaiters() {
        waiters.clear();
    }

    private int take(int descriptor) {
        inFlight[descriptor] = true;
        inFlightCount++;
        return descriptor;
    }
}
