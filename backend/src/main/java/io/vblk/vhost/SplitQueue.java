package io.vblk.vhost;

import java.lang.invoke.VarHandle;

/**
 * The device side of one split virtqueue (VIRTIO 1.x, 2.7) in guest memory, apart from any transport: it pops
 * descriptor chains the driver made available, validating each before use as QEMU's {@code virtqueue_pop}
 * does, and returns them through the used ring. A ring the driver broke is a {@link Fault}; the caller then
 * stops the ring and marks the device broken. Confined to one thread (the queue's event loop).
 *
 * <pre>
 * descriptor (16 bytes): addr u64 | len u32 | flags u16 (NEXT 1, WRITE 2, INDIRECT 4) | next u16
 * avail ring:            flags u16 | idx u16 | ring[size] u16 | (used_event u16)
 * used ring:             flags u16 | idx u16 | ring[size] {id u32, len u32} | (avail_event u16)
 * </pre>
 */
public final class SplitQueue {
    public static final int F_NEXT = 1;
    public static final int F_WRITE = 2;
    public static final int F_INDIRECT = 4;
    /** avail.flags: the driver asks not to be interrupted. */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    static final int DESCRIPTOR_BYTES = 16;

    /** A ring that breaks the rules; the message names the rule. */
    public static final class Fault extends RuntimeException {
        public Fault(String message) {
            super(message, null, false, false);
        }
    }

    private final GuestMemory memory;
    private final int size;
    private final long desc;
    private final long avail;
    private final long used;
    // the next avail ring entry to pop, and the next used ring entry to fill: free-running 16-bit counters
    private int nextAvail;
    private int nextUsed;

    /**
     * @param desc, avail, used the rings' guest-physical addresses; each ring must lie within one region
     * @param nextAvail where popping starts (SET_VRING_BASE)
     */
    public SplitQueue(GuestMemory memory, int size, long desc, long avail, long used, int nextAvail) {
        if (size < 1 || size > 32768 || Integer.bitCount(size) != 1) {
            throw new Fault("queue size " + size + " is not a power of two from 1 to 32768");
        }
        requireRing(memory, "descriptor table", desc, (long) DESCRIPTOR_BYTES * size, 16);
        requireRing(memory, "avail ring", avail, 6 + 2L * size, 2);
        requireRing(memory, "used ring", used, 6 + 8L * size, 4);
        this.memory = memory;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        this.nextAvail = nextAvail & 0xffff;
        this.nextUsed = memory.getShort(used + 2);
    }

    private static void requireRing(GuestMemory m, String what, long gpa, long len, int align) {
        if (gpa % align != 0) {
            throw new Fault(String.format("the %s at 0x%x is not %d-byte aligned", what, gpa, align));
        }
        if (!m.holds(gpa, len)) {
            throw new Fault(String.format("the %s at 0x%x (+%d) is not within one memory region", what, gpa, len));
        }
    }

    public int size() {
        return size;
    }

    /** The next avail entry to pop: what GET_VRING_BASE answers once every popped chain is answered. */
    public int nextAvail() {
        return nextAvail;
    }

    /**
     * Chains the driver has made available and not got back through the used ring, popped or not; at most
     * the queue's size (more is a broken ring, which {@link #pending} faults on).
     */
    public int outstanding() {
        return Math.min(size, (memory.getShort(avail + 2) - nextUsed) & 0xffff);
    }

    /** Chains the driver made available and this queue has not popped yet. */
    public int pending() {
        int pending = (memory.getShort(avail + 2) - nextAvail) & 0xffff;
        if (pending > size) {
            throw new Fault("avail.idx runs " + pending + " entries ahead of the device, more than the queue's "
                    + size);
        }
        return pending;
    }

    /**
     * The next available chain, validated, written into {@code into}; false when none is available. Throws
     * {@link Fault} for a chain that breaks the rules (and pops nothing).
     */
    public boolean pop(Chain into) {
        if (pending() == 0) {
            return false;
        }
        // the ring entry and the descriptors it names are read only after avail.idx
        VarHandle.acquireFence();
        int head = memory.getShort(avail + 4 + 2L * (nextAvail % size));
        if (head >= size) {
            throw new Fault("avail ring entry " + nextAvail + " names descriptor " + head + " of a queue of " + size);
        }
        walk(head, into);
        nextAvail = (nextAvail + 1) & 0xffff;
        return true;
    }

    private void walk(int head, Chain into) {
        into.reset(head);
        long table = desc;
        int max = size;
        int i = head;
        boolean indirect = false;
        boolean writable = false;
        for (int count = 0; ; count++) {
            if (count >= max) {
                throw new Fault("descriptor chain from " + head + " is longer than its table of " + max
                        + " (a loop?)");
            }
            long d = table + (long) DESCRIPTOR_BYTES * i;
            long addr = memory.getLong(d);
            long len = memory.getInt(d + 8);
            int flags = memory.getShort(d + 12);
            int next = memory.getShort(d + 14);
            if ((flags & F_INDIRECT) != 0) {
                if (indirect) {
                    throw new Fault("descriptor " + i + " of an indirect table is itself indirect");
                }
                if (count != 0 || (flags & F_NEXT) != 0) {
                    throw new Fault("indirect descriptor " + i + " is not alone at the head of its chain");
                }
                if (len == 0 || len % DESCRIPTOR_BYTES != 0 || len / DESCRIPTOR_BYTES > 32768) {
                    throw new Fault("indirect descriptor " + i + " has a table of " + len + " bytes");
                }
                if (!memory.holds(addr, len)) {
                    throw new Fault(String.format("indirect table at 0x%x (+%d) is outside guest memory", addr, len));
                }
                indirect = true;
                table = addr;
                max = (int) (len / DESCRIPTOR_BYTES);
                i = 0;
                count = -1;
                continue;
            }
            if (len > Integer.MAX_VALUE) {
                throw new Fault("descriptor " + i + " has a buffer of " + len + " bytes");
            }
            boolean write = (flags & F_WRITE) != 0;
            if (writable && !write) {
                throw new Fault("descriptor " + i + " is device-readable after a device-writable one");
            }
            writable = write;
            if (!memory.holds(addr, len)) {
                throw new Fault(String.format("descriptor %d points at 0x%x (+%d), outside guest memory", i, addr, len));
            }
            into.add(addr, (int) len, write);
            if ((flags & F_NEXT) == 0) {
                return;
            }
            if (next >= max) {
                throw new Fault("descriptor " + i + " chains to " + next + " beyond its table of " + max);
            }
            i = next;
        }
    }

    /** Returns chain {@code head} to the driver, {@code written} bytes written into its writable buffers. */
    public void push(int head, int written) {
        long entry = used + 4 + 8L * (nextUsed % size);
        memory.putInt(entry, head);
        memory.putInt(entry + 4, written);
        nextUsed = (nextUsed + 1) & 0xffff;
        // the entry is visible before the index that publishes it
        VarHandle.releaseFence();
        memory.putShort(used + 2, nextUsed);
    }

    /** After {@link #push}: whether the driver wants an interrupt (no EVENT_IDX: unless it set NO_INTERRUPT). */
    public boolean needsInterrupt() {
        // the store of used.idx must be visible before the driver's flags are read: the one x86 store-load
        VarHandle.fullFence();
        return (memory.getShort(avail) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    /**
     * A popped chain's buffers, reused from pop to pop so that popping allocates nothing: guest-physical
     * address, length and direction of each, in chain order.
     */
    public static final class Chain {
        private int head;
        private int count;
        private long[] addr = new long[8];
        private int[] len = new int[8];
        private boolean[] writable = new boolean[8];

        void reset(int head) {
            this.head = head;
            this.count = 0;
        }

        void add(long a, int l, boolean w) {
            if (count == addr.length) {
                addr = java.util.Arrays.copyOf(addr, count * 2);
                len = java.util.Arrays.copyOf(len, count * 2);
                writable = java.util.Arrays.copyOf(writable, count * 2);
            }
            addr[count] = a;
            len[count] = l;
            writable[count] = w;
            count++;
        }

        public int head() {
            return head;
        }

        public int count() {
            return count;
        }

        public long addr(int k) {
            return addr[k];
        }

        public int len(int k) {
            return len[k];
        }

        public boolean writable(int k) {
            return writable[k];
        }
    }
}
