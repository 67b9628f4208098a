package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.config.Pattern;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BlockPickerProperties {

    @Property(tries = 1000)
    void everyOffsetIsBlockAlignedAndInsideTheDevice(@ForAll Pattern pattern,
                                                     @ForAll @IntRange(min = 1, max = 8192) int blockSectors,
                                                     @ForAll @LongRange(min = 0, max = 1L << 40) long extraSectors,
                                                     @ForAll @IntRange(min = 1, max = 64) int processes,
                                                     @ForAll @IntRange(min = 0, max = 100) int readPercent,
                                                     @ForAll long seed) {
        long capacity = blockSectors + extraSectors;
        BlockPicker picker = new BlockPicker(pattern, readPercent, blockSectors * 512, capacity);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int p = 0; p < processes; p++) {
            long cursor = picker.start(p, processes);
            assertThat(cursor).isBetween(0L, picker.blocks() - 1);
            for (int i = 0; i < 20; i++) {
                long block = picker.next(rng, cursor, BlockPicker.NONE_BUSY);
                long sector = picker.sector(block);
                assertThat(sector % blockSectors).isZero();
                assertThat(sector).isGreaterThanOrEqualTo(0);
                assertThat(sector + blockSectors).isLessThanOrEqualTo(capacity);
                if (!pattern.random()) {
                    assertThat(block).isEqualTo(cursor);
                }
                cursor = picker.after(block);
            }
        }
    }

    @Property(tries = 1000)
    void aBusyBlockIsNeverPicked(@ForAll Pattern pattern,
                                 @ForAll @IntRange(min = 2, max = 200) int blocks,
                                 @ForAll @IntRange(min = 1, max = 199) int busyCount,
                                 @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        BlockPicker picker = new BlockPicker(pattern, 50, 4096, blocks * 8L);
        Set<Long> busy = new HashSet<>();
        while (busy.size() < Math.min(busyCount, blocks - 1)) {
            busy.add(rng.nextLong(blocks));
        }
        long cursor = rng.nextLong(blocks);
        for (int i = 0; i < 50; i++) {
            long block = picker.next(rng, cursor, busy::contains);
            assertThat(busy).doesNotContain(block);
            assertThat(block).isBetween(0L, blocks - 1L);
            cursor = picker.after(block);
        }
    }

    @Property(tries = 200)
    void theDirectionFollowsThePattern(@ForAll Pattern pattern, @ForAll @IntRange(min = 0, max = 100) int readPercent,
                                       @ForAll long seed) {
        BlockPicker picker = new BlockPicker(pattern, readPercent, 512, 1024);
        SplittableRandom rng = new SplittableRandom(seed);
        int reads = 0;
        for (int i = 0; i < 1000; i++) {
            reads += picker.nextIsRead(rng) ? 1 : 0;
        }
        switch (pattern) {
            case READ:
            case RANDREAD:
                assertThat(reads).isEqualTo(1000);
                break;
            case WRITE:
            case RANDWRITE:
                assertThat(reads).isZero();
                break;
            default:
                // 1000 Bernoulli draws stay within 8 standard deviations (at most 126) of the mean
                assertThat(reads).isBetween(readPercent * 10 - 130, readPercent * 10 + 130);
        }
        assertThat(picker.writes()).isEqualTo(reads < 1000 || (pattern == Pattern.RANDRW && readPercent < 100));
    }
}
