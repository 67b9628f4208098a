package io.vblk.vhost;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The driver's side of one split virtqueue, as a guest's virtio driver writes it, in a buffer that stands
 * for guest memory: one region at guest-physical {@link #BASE}. Rings at fixed offsets; buffers above them.
 */
final class Driver {
    static final long BASE = 0x10_0000;
    static final long DESC = BASE;
    static final long AVAIL = BASE + 0x4000;
    static final long USED = BASE + 0x6000;
    static final long DATA = BASE + 0x10000;
    static final int MEMORY = 1 << 20;

    final ByteBuffer mem = ByteBuffer.allocateDirect(MEMORY).order(ByteOrder.LITTLE_ENDIAN);
    final GuestMemory memory = new GuestMemory(List.of(
            new GuestMemory.Region(BASE, MEMORY, 0x7f00_0000_0000L, MEMORY, GuestMemory.chunks(mem, MEMORY))));
    final int size;
    private int availIdx;

    Driver(int size) {
        this.size = size;
    }

    SplitQueue queue() {
        return new SplitQueue(memory, size, DESC, AVAIL, USED, 0);
    }

    /** Writes descriptor {@code i} of the table at {@code table}. */
    Driver desc(long table, int i, long addr, long len, int flags, int next) {
        int at = (int) (table - BASE) + 16 * i;
        mem.putLong(at, addr).putInt(at + 8, (int) len).putShort(at + 12, (short) flags).putShort(at + 14, (short) next);
        return this;
    }

    Driver desc(int i, long addr, long len, int flags, int next) {
        return desc(DESC, i, addr, len, flags, next);
    }

    /** Makes chain {@code head} available and publishes the new avail.idx. */
    Driver offer(int head) {
        mem.putShort((int) (AVAIL - BASE) + 4 + 2 * (availIdx % size), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
        mem.putShort((int) (AVAIL - BASE) + 2, (short) availIdx);
        return this;
    }

    Driver availIdx(int idx) {
        availIdx = idx & 0xffff;
        mem.putShort((int) (AVAIL - BASE) + 2, (short) availIdx);
        return this;
    }

    Driver availFlags(int flags) {
        mem.putShort((int) (AVAIL - BASE), (short) flags);
        return this;
    }

    int usedIdx() {
        return Short.toUnsignedInt(mem.getShort((int) (USED - BASE) + 2));
    }

    long usedId(int entry) {
        return Integer.toUnsignedLong(mem.getInt((int) (USED - BASE) + 4 + 8 * entry));
    }

    long usedLen(int entry) {
        return Integer.toUnsignedLong(mem.getInt((int) (USED - BASE) + 8 + 8 * entry));
    }
}
