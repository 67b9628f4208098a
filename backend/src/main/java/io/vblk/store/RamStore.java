package io.vblk.store;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse in-memory device: 4 KiB pages allocated on first write, grouped in 16 MiB segments, so a 64 GiB
 * device costs a small directory until written. Unwritten pages read as zeros.
 */
public final class RamStore implements BlockStore {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int SEGMENT_SHIFT = 12; // pages per segment: 4096
    private static final int SEGMENT_PAGES = 1 << SEGMENT_SHIFT;

    private final long capacity;
    private final AtomicReferenceArray<AtomicReferenceArray<byte[]>> segments;

    public RamStore(long capacity) {
        this.capacity = capacity;
        long pages = (capacity + PAGE - 1) >>> PAGE_SHIFT;
        this.segments = new AtomicReferenceArray<>((int) ((pages + SEGMENT_PAGES - 1) >>> SEGMENT_SHIFT));
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public void read(long offset, ByteBuf dst, int length) {
        long pos = offset;
        int left = length;
        while (left > 0) {
            int in = (int) (pos & (PAGE - 1));
            int n = Math.min(left, PAGE - in);
            byte[] page = page(pos >>> PAGE_SHIFT, false);
            if (page == null) {
                dst.writeZero(n);
            } else {
                dst.writeBytes(page, in, n);
            }
            pos += n;
            left -= n;
        }
    }

    @Override
    public void write(long offset, ByteBuf src) {
        long pos = offset;
        int from = src.readerIndex();
        int left = src.readableBytes();
        while (left > 0) {
            int in = (int) (pos & (PAGE - 1));
            int n = Math.min(left, PAGE - in);
            src.getBytes(from, page(pos >>> PAGE_SHIFT, true), in, n);
            pos += n;
            from += n;
            left -= n;
        }
    }

    @Override
    public void writeZeroes(long offset, long length) {
        discard(offset, length);
    }

    /** Whole pages are dropped (memory returns), partial pages zeroed. */
    @Override
    public void discard(long offset, long length) {
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            int in = (int) (pos & (PAGE - 1));
            int n = (int) Math.min(end - pos, PAGE - in);
            long pageIndex = pos >>> PAGE_SHIFT;
            AtomicReferenceArray<byte[]> seg = segments.get((int) (pageIndex >>> SEGMENT_SHIFT));
            if (seg != null) {
                int slot = (int) (pageIndex & (SEGMENT_PAGES - 1));
                if (n == PAGE) {
                    seg.set(slot, null);
                } else {
                    byte[] page = seg.get(slot);
                    if (page != null) {
                        java.util.Arrays.fill(page, in, in + n, (byte) 0);
                    }
                }
            }
            pos += n;
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    /** Bytes held by written pages; for tests and the status line. */
    public long residentBytes() {
        long pages = 0;
        for (int s = 0; s < segments.length(); s++) {
            AtomicReferenceArray<byte[]> seg = segments.get(s);
            if (seg != null) {
                for (int i = 0; i < SEGMENT_PAGES; i++) {
                    if (seg.get(i) != null) {
                        pages++;
                    }
                }
            }
        }
        return pages * PAGE;
    }

    private byte[] page(long pageIndex, boolean create) {
        int s = (int) (pageIndex >>> SEGMENT_SHIFT);
        AtomicReferenceArray<byte[]> seg = segments.get(s);
        if (seg == null) {
            if (!create) {
                return null;
            }
            segments.compareAndSet(s, null, new AtomicReferenceArray<>(SEGMENT_PAGES));
            seg = segments.get(s);
        }
        int slot = (int) (pageIndex & (SEGMENT_PAGES - 1));
        byte[] page = seg.get(slot);
        if (page == null && create) {
            seg.compareAndSet(slot, null, new byte[PAGE]);
            page = seg.get(slot);
        }
        return page;
    }
}
