package io.vblk.vhost;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest's memory as the front-end shared it: regions of guest-physical address space, each backed by
 * buffers of at most {@link #CHUNK} bytes (Java 17 maps at most 2 GiB at once), all of one size but the last. Descriptors carry
 * guest-physical addresses; ring addresses arrive in the front-end's own address space and are translated
 * once with {@link #guestAddress}. Every access is bounds-checked against one region: an address outside
 * every region, or a range that wraps or runs past its region, is a {@link Fault}, never an exception from
 * the buffer. Immutable once built; the buffers' contents are shared with the guest and change under us.
 */
public final class GuestMemory {
    /** The largest buffer one region is split into. */
    public static final long CHUNK = 1L << 30;

    /**
     * One region: {@code size} bytes at {@code guestPhysAddr}, which the front-end sees at {@code userAddr};
     * {@code chunks[k]} holds bytes {@code k * chunkBytes} onward, little-endian.
     */
    public record Region(long guestPhysAddr, long size, long userAddr, int chunkBytes, ByteBuffer[] chunks) {
        public Region {
            long covered = 0;
            for (int k = 0; k < chunks.length; k++) {
                if (k < chunks.length - 1 ? chunks[k].capacity() != chunkBytes : chunks[k].capacity() > chunkBytes) {
                    throw new IllegalArgumentException("chunk " + k + " is not of " + chunkBytes + " bytes");
                }
                covered += chunks[k].capacity();
            }
            if (size <= 0 || covered != size) {
                throw new IllegalArgumentException("a region of " + size + " bytes backed by " + covered);
            }
            if (guestPhysAddr + size < guestPhysAddr || userAddr + size < userAddr) {
                throw new IllegalArgumentException("a region that wraps the address space");
            }
        }

        boolean holds(long gpa, long len) {
            return gpa >= guestPhysAddr && len >= 0 && gpa - guestPhysAddr <= size - len;
        }
    }

    /** A guest address or range that no region holds, or an access that runs past its region. */
    public static final class Fault extends RuntimeException {
        public Fault(String message) {
            super(message, null, false, false);
        }
    }

    private final Region[] regions;

    public GuestMemory(List<Region> regions) {
        this.regions = regions.toArray(Region[]::new);
        for (Region r : this.regions) {
            for (ByteBuffer c : r.chunks()) {
                c.order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Splits one buffer (for tests and small guests) into chunks of {@code chunkBytes}. */
    public static ByteBuffer[] chunks(ByteBuffer whole, int chunkBytes) {
        List<ByteBuffer> out = new ArrayList<>();
        for (long at = 0; at < whole.capacity(); at += chunkBytes) {
            int len = (int) Math.min(chunkBytes, whole.capacity() - at);
            out.add(whole.slice((int) at, len));
        }
        return out.toArray(ByteBuffer[]::new);
    }

    /**
     * Maps the regions of a memory table through their fds (a memfd or a shared file, reopened by path as
     * {@code /proc/self/fd/N}), in chunks of at most {@link #CHUNK}; the mappings outlive the fds, which the
     * caller then closes. An fd that cannot be mapped for the region's range is a {@link Fault}.
     */
    public static GuestMemory map(List<Message.MemoryRegion> table, int[] fds) {
        List<Region> regions = new ArrayList<>();
        for (int k = 0; k < table.size(); k++) {
            Message.MemoryRegion r = table.get(k);
            if (r.size() <= 0 || r.mmapOffset() < 0 || r.mmapOffset() + r.size() < r.mmapOffset()) {
                throw new Fault("memory region " + k + " has size " + r.size() + " at offset " + r.mmapOffset());
            }
            java.nio.file.Path fd = java.nio.file.Path.of("/proc/self/fd/" + fds[k]);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(fd,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                if (ch.size() < r.mmapOffset() + r.size()) {
                    throw new Fault("memory region " + k + " runs to byte " + (r.mmapOffset() + r.size())
                            + " of an fd of " + ch.size());
                }
                ByteBuffer[] chunks = new ByteBuffer[(int) ((r.size() + CHUNK - 1) / CHUNK)];
                for (int c = 0; c < chunks.length; c++) {
                    long len = Math.min(CHUNK, r.size() - c * CHUNK);
                    chunks[c] = ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, r.mmapOffset() + c * CHUNK, len);
                }
                regions.add(new Region(r.guestPhysAddr(), r.size(), r.userAddr(), (int) Math.min(CHUNK, r.size()), chunks));
            } catch (java.io.IOException e) {
                throw new Fault("memory region " + k + ": cannot map fd " + fds[k] + ": " + e.getMessage());
            }
        }
        return new GuestMemory(regions);
    }

    public List<Region> regions() {
        return List.of(regions);
    }

    /** The guest-physical address of {@code len} bytes the front-end sees at {@code userAddr}. */
    public long guestAddress(long userAddr, long len) {
        for (Region r : regions) {
            if (userAddr >= r.userAddr() && len >= 0 && userAddr - r.userAddr() <= r.size() - len) {
                return r.guestPhysAddr() + (userAddr - r.userAddr());
            }
        }
        throw new Fault(String.format("front-end address 0x%x (+%d) is in no memory region", userAddr, len));
    }

    /** True when one region holds all of {@code [gpa, gpa + len)}. */
    public boolean holds(long gpa, long len) {
        return find(gpa, len) != null;
    }

    public int getShort(long gpa) {
        Region r = require(gpa, 2);
        return Short.toUnsignedInt(chunk(r, gpa, 2).getShort(at(r, gpa)));
    }

    public long getInt(long gpa) {
        Region r = require(gpa, 4);
        return Integer.toUnsignedLong(chunk(r, gpa, 4).getInt(at(r, gpa)));
    }

    public long getLong(long gpa) {
        Region r = require(gpa, 8);
        return chunk(r, gpa, 8).getLong(at(r, gpa));
    }

    public void putShort(long gpa, int v) {
        Region r = require(gpa, 2);
        chunk(r, gpa, 2).putShort(at(r, gpa), (short) v);
    }

    public void putInt(long gpa, long v) {
        Region r = require(gpa, 4);
        chunk(r, gpa, 4).putInt(at(r, gpa), (int) v);
    }

    public void putByte(long gpa, int v) {
        Region r = require(gpa, 1);
        chunk(r, gpa, 1).put(at(r, gpa), (byte) v);
    }

    /** Appends {@code len} guest bytes at {@code gpa} to {@code dst}; a range may cross chunks. */
    public void read(long gpa, int len, ByteBuf dst) {
        Region r = require(gpa, len);
        dst.ensureWritable(len);
        long off = gpa - r.guestPhysAddr();
        while (len > 0) {
            ByteBuffer c = r.chunks()[index(r, off)];
            int at = (int) (off - (long) index(r, off) * r.chunkBytes());
            int n = Math.min(len, c.capacity() - at);
            if (dst.hasMemoryAddress() && c.isDirect()) {
                // checked above: [at, at + n) lies in the chunk, and dst has room
                PlatformDependent.copyMemory(PlatformDependent.directBufferAddress(c) + at,
                        dst.memoryAddress() + dst.writerIndex(), n);
                dst.writerIndex(dst.writerIndex() + n);
            } else {
                dst.writeBytes(c.slice(at, n));
            }
            off += n;
            len -= n;
        }
    }

    /** Copies {@code len} readable bytes of {@code src} (from its reader index, which stays) into the guest. */
    public void write(long gpa, ByteBuf src, int srcIndex, int len) {
        Region r = require(gpa, len);
        if (srcIndex < 0 || len > src.capacity() - srcIndex) {
            throw new IndexOutOfBoundsException("bytes " + srcIndex + " to " + (srcIndex + len) + " of a buffer of "
                    + src.capacity());
        }
        long off = gpa - r.guestPhysAddr();
        while (len > 0) {
            ByteBuffer c = r.chunks()[index(r, off)];
            int at = (int) (off - (long) index(r, off) * r.chunkBytes());
            int n = Math.min(len, c.capacity() - at);
            if (src.hasMemoryAddress() && c.isDirect()) {
                PlatformDependent.copyMemory(src.memoryAddress() + srcIndex, PlatformDependent.directBufferAddress(c) + at,
                        n);
            } else {
                src.getBytes(srcIndex, c.slice(at, n));
            }
            off += n;
            srcIndex += n;
            len -= n;
        }
    }

    /**
     * A view of {@code len} guest bytes at {@code gpa} when they lie in one direct mapping, else null (a range
     * across two chunks, or memory that is not a mapping).
     */
    public ByteBuffer slice(long gpa, int len) {
        Region r = require(gpa, len);
        long off = gpa - r.guestPhysAddr();
        int k = index(r, off);
        if (len == 0 || k != index(r, off + len - 1) || !r.chunks()[k].isDirect()) {
            return null;
        }
        return r.chunks()[k].slice(at(r, gpa), len);
    }

    // the chunk that holds byte off of region r: most regions are one chunk, which needs no division
    private static int index(Region r, long off) {
        return r.chunks().length == 1 ? 0 : (int) (off / r.chunkBytes());
    }

    // a field of 1 to 8 bytes: naturally aligned ones never cross a chunk, but a hostile ring may misalign
    private static ByteBuffer chunk(Region r, long gpa, int len) {
        long off = gpa - r.guestPhysAddr();
        int k = index(r, off);
        if (k != index(r, off + len - 1)) {
            throw new Fault(String.format("a %d-byte field at 0x%x crosses a mapping boundary", len, gpa));
        }
        return r.chunks()[k];
    }

    private static int at(Region r, long gpa) {
        long off = gpa - r.guestPhysAddr();
        return (int) (off - (long) index(r, off) * r.chunkBytes());
    }

    private Region require(long gpa, long len) {
        Region r = find(gpa, len);
        if (r == null) {
            throw new Fault(String.format("guest address 0x%x (+%d) is outside every memory region", gpa, len));
        }
        return r;
    }

    private Region find(long gpa, long len) {
        for (Region r : regions) {
            if (r.holds(gpa, len)) {
                return r;
            }
        }
        return null;
    }
}
