package io.vblk.load;

import io.netty.buffer.ByteBuf;

/**
 * The content of a block written in verify mode, a function of (block index, generation) alone:
 * <pre>
 * magic u32 'VBLK' | generation u32 | block u64 | body: xorshift64 words seeded from (block, generation)
 * </pre>
 * all little-endian. The block index is the device offset divided by the block size, so it names the place
 * the data was meant for and a misplaced write is told apart from a stale one.
 */
public final class VerifyPattern {
    private VerifyPattern() {}

    public static final int MAGIC = 0x4B4C4256; // 'V','B','L','K' read as little-endian u32
    public static final int HEADER_BYTES = 16;

    /** Writes one whole block of {@code blockBytes} (a multiple of 8, at least 16) at the writer index. */
    public static ByteBuf fill(ByteBuf buf, long block, int generation, int blockBytes) {
        buf.writeIntLE(MAGIC).writeIntLE(generation).writeLongLE(block);
        long x = seed(block, generation);
        for (int i = HEADER_BYTES; i < blockBytes; i += Long.BYTES) {
            x = step(x);
            buf.writeLongLE(x);
        }
        return buf;
    }

    /**
     * Checks the readable bytes of {@code data} against the block written as (block, generation) without
     * moving any index; returns null when they match, else what differs, in a few words.
     */
    public static String check(ByteBuf data, long block, int generation, int blockBytes) {
        int at = data.readerIndex();
        if (data.readableBytes() != blockBytes) {
            return "read returned " + data.readableBytes() + " bytes, expected " + blockBytes;
        }
        int magic = data.getIntLE(at);
        if (magic != MAGIC) {
            return String.format("no vblk header: first word 0x%08x, expected 0x%08x", magic, MAGIC);
        }
        long heldBlock = data.getLongLE(at + 8);
        if (heldBlock != block) {
            return "holds the data of block " + heldBlock + " (misplaced write)";
        }
        int heldGeneration = data.getIntLE(at + 4);
        if (heldGeneration != generation) {
            return "holds generation " + heldGeneration + ", expected " + generation
                    + (heldGeneration < generation ? " (lost or stale write)" : " (a write that was never acknowledged)");
        }
        long x = seed(block, generation);
        for (int i = HEADER_BYTES; i < blockBytes; i += Long.BYTES) {
            x = step(x);
            long held = data.getLongLE(at + i);
            if (held != x) {
                int first = i + Long.numberOfTrailingZeros(held ^ x) / 8;
                return "body differs from byte " + first + " on (header intact)";
            }
        }
        return null;
    }

    /**
     * Checks that {@code data} is one whole block as some generation from {@code oldest} to {@code newest}
     * wrote it: what may be found after a crash, when writes after the last completed FLUSH may or may not
     * have landed. Returns null when it is, else what differs.
     */
    public static String checkRange(ByteBuf data, long block, int oldest, int newest, int blockBytes) {
        if (data.readableBytes() != blockBytes) {
            return "read returned " + data.readableBytes() + " bytes, expected " + blockBytes;
        }
        int held = data.getIntLE(data.readerIndex() + 4);
        if (data.getIntLE(data.readerIndex()) == MAGIC && (held < oldest || held > newest)) {
            return "holds generation " + held + ", expected " + oldest + ".." + newest
                    + (held < oldest ? " (a flushed write was lost)" : " (a write that was never sent)");
        }
        return check(data, block, held, blockBytes);
    }

    private static long seed(long block, int generation) {
        // splitmix64 finaliser: neighbouring (block, generation) pairs get unrelated streams
        long z = block * 0x9E3779B97F4A7C15L + generation;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? 0x2545F4914F6CDD1DL : z;
    }

    private static long step(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        return x ^ (x << 17);
    }
}
