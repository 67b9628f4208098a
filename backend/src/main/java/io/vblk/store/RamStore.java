package io.vblk.store;

import io.netty.buffer.ByteBuf;
import io.vblk.config.ByteSize;
import io.vblk.config.DeviceConfig;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse in-memory device: 4 KiB pages allocated on first write, grouped in 16 MiB segments, so a 64 GiB
 * device costs a small directory until written. Unwritten pages read as zeros. Each segment counts its
 * pages, so DISCARD and WRITE_ZEROES cost the segments a range spans plus the pages actually present, never
 * a walk over every page of the range: they run on an event loop.
 */
public final class RamStore implements BlockStore {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE = 1 << PAGE_SHIFT;
    private static final int SEGMENT_SHIFT = 12; // pages per segment: 4096
    private static final int SEGMENT_PAGES = 1 << SEGMENT_SHIFT;
    private static final long SEGMENT_BYTES = (long) SEGMENT_PAGES << PAGE_SHIFT;

    /** The pages of one 16 MiB segment and how many of them are present (invariant: the non-null slots). */
    private static final class Segment {
        final AtomicReferenceArray<byte[]> pages = new AtomicReferenceArray<>(SEGMENT_PAGES);
        final AtomicInteger present = new AtomicInteger();
    }

    private final long capacity;
    private final AtomicReferenceArray<Segment> segments;

    /** @throws IllegalArgumentException past {@link DeviceConfig#MAX_RAM_BYTES}, which config validation refuses */
    public RamStore(long capacity) {
        if (capacity < 0 || capacity > DeviceConfig.MAX_RAM_BYTES) {
            throw new IllegalArgumentException("a RAM store holds at most " + ByteSize.of(DeviceConfig.MAX_RAM_BYTES)
                    + ", asked for " + capacity + " bytes");
        }
        this.capacity = capacity;
        this.segments = new AtomicReferenceArray<>((int) ((capacity + SEGMENT_BYTES - 1) / SEGMENT_BYTES));
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

    /** Whole segments and pages are dropped (memory returns), partial pages zeroed. */
    @Override
    public void discard(long offset, long length) {
        long end = offset + length;
        for (long s = offset / SEGMENT_BYTES; s * SEGMENT_BYTES < end; s++) {
            long segStart = s * SEGMENT_BYTES;
            long from = Math.max(offset, segStart);
            long to = Math.min(end, segStart + SEGMENT_BYTES);
            if (from == segStart && to == segStart + SEGMENT_BYTES) {
                segments.set((int) s, null);
                continue;
            }
            Segment seg = segments.get((int) s);
            if (seg != null && seg.present.get() > 0) {
                clear(seg, from - segStart, to - segStart);
            }
        }
    }

    /** Drops or zeroes the bytes [from, to) of one segment, offsets within it. */
    private static void clear(Segment seg, long from, long to) {
        long pos = from;
        while (pos < to) {
            int in = (int) (pos & (PAGE - 1));
            int n = (int) Math.min(to - pos, PAGE - in);
            int slot = (int) (pos >>> PAGE_SHIFT);
            if (n == PAGE) {
                if (seg.pages.getAndSet(slot, null) != null) {
                    seg.present.decrementAndGet();
                }
            } else {
                byte[] page = seg.pages.get(slot);
                if (page != null) {
                    Arrays.fill(page, in, in + n, (byte) 0);
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
            Segment seg = segments.get(s);
            if (seg != null) {
                pages += seg.present.get();
            }
        }
        return pages * PAGE;
    }

    private byte[] page(long pageIndex, boolean create) {
        int s = (int) (pageIndex >>> SEGMENT_SHIFT);
        Segment seg;
        // a loop, not one try: a DISCARD of the whole segment may drop it again between the set and the get
        while ((seg = segments.get(s)) == null) {
            if (!create) {
                return null;
            }
            segments.compareAndSet(s, null, new Segment());
        }
        int slot = (int) (pageIndex & (SEGMENT_PAGES - 1));
        byte[] page = seg.pages.get(slot);
        if (page == null && create) {
            if (seg.pages.compareAndSet(slot, null, new byte[PAGE])) {
                seg.present.incrementAndGet();
            }
            page = seg.pages.get(slot);
        }
        return page;
    }
}
