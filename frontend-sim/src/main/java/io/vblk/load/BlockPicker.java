package io.vblk.load;

import io.vblk.config.Pattern;
import io.vblk.protocol.VirtioBlk;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * Where a guest process reads or writes next. The device is cut into {@code blocks} whole blocks of the
 * load's block size; every offset handed out is a block index, so sectors are block-aligned and
 * {@code sector(b) + sectorsPerBlock <= capacity} always holds.
 */
public final class BlockPicker {
    /** Accepts every block: nothing is ever busy. */
    public static final LongPredicate NONE_BUSY = b -> false;
    private static final int RANDOM_DRAWS = 8;

    private final Pattern pattern;
    private final int readPercent;
    private final int sectorsPerBlock;
    private final long blocks;

    public BlockPicker(Pattern pattern, int readPercent, int blockBytes, long capacitySectors) {
        if (blockBytes <= 0 || blockBytes % VirtioBlk.SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 512, got " + blockBytes);
        }
        this.pattern = pattern;
        this.readPercent = readPercent;
        this.sectorsPerBlock = blockBytes / VirtioBlk.SECTOR_SIZE;
        this.blocks = capacitySectors / sectorsPerBlock;
        if (blocks < 1) {
            throw new IllegalArgumentException("a device of " + capacitySectors + " sectors holds no block of "
                    + blockBytes + " bytes");
        }
    }

    public long blocks() {
        return blocks;
    }

    public long sector(long block) {
        return block * sectorsPerBlock;
    }

    /** The first block of a sequential process: processes start evenly spread over the device. */
    public long start(int process, int processes) {
        if (!pattern.random()) {
            return blocks / processes * process + blocks % processes * process / processes;
        }
        return 0;
    }

    /** True when some request of this pattern writes. */
    public boolean writes() {
        return pattern == Pattern.WRITE || pattern == Pattern.RANDWRITE || (pattern == Pattern.RANDRW && readPercent < 100);
    }

    public boolean nextIsRead(SplittableRandom rng) {
        return switch (pattern) {
            case RANDREAD, READ -> true;
            case RANDWRITE, WRITE -> false;
            case RANDRW -> rng.nextInt(100) < readPercent;
        };
    }

    /**
     * The next block that is not busy: a random one, or for sequential patterns the first from {@code cursor} on.
     * The caller keeps fewer than {@link #blocks()} blocks busy, so one is always found.
     */
    public long next(SplittableRandom rng, long cursor, LongPredicate busy) {
        long b = cursor % blocks;
        if (pattern.random()) {
            b = rng.nextLong(blocks);
            for (int i = 1; i < RANDOM_DRAWS && busy.test(b); i++) {
                b = rng.nextLong(blocks);
            }
        }
        for (long scanned = 0; busy.test(b); scanned++) {
            if (scanned == blocks) {
                throw new IllegalStateException("every one of " + blocks + " blocks is busy");
            }
            b = b + 1 == blocks ? 0 : b + 1;
        }
        return b;
    }

    /** The cursor after a sequential access to {@code block}. */
    public long after(long block) {
        return block + 1 == blocks ? 0 : block + 1;
    }
}
