package io.vblk.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A hostile driver writes whatever it likes into the descriptor table and the avail ring: popping either
 * yields chains whose every buffer lies in guest memory, in the order the rules require, or stops with a
 * {@link SplitQueue.Fault}; nothing else is thrown, and no pop runs longer than the ring allows.
 */
class SplitQueueProperties {
    private static final long BASE = 0x4000;
    private static final int MEMORY = 64 * 1024;
    private static final int SIZE = 16;
    private static final long DESC = BASE;
    private static final long AVAIL = BASE + 0x400;
    private static final long USED = BASE + 0x600;

    private final ByteBuffer mem = ByteBuffer.allocateDirect(MEMORY).order(ByteOrder.LITTLE_ENDIAN);
    private final GuestMemory memory = new GuestMemory(List.of(
            new GuestMemory.Region(BASE, MEMORY, 0, MEMORY, GuestMemory.chunks(mem, MEMORY))));
    private final SplitQueue.Chain chain = new SplitQueue.Chain();

    /** Descriptor words biased toward the values that matter: near-valid addresses, small nexts, every flag. */
    @Provide
    Arbitrary<long[]> rings() {
        Arbitrary<Long> word = Arbitraries.oneOf(Arbitraries.longs().between(BASE - 64, BASE + MEMORY + 64),
                Arbitraries.longs(), Arbitraries.longs().between(0, 3 * SIZE));
        return word.array(long[].class).ofSize(4 * SIZE + SIZE + 2);
    }

    @Property(tries = 20_000)
    void popsValidChainsOrFaultsAndNothingElse(@ForAll("rings") long[] words) {
        for (int i = 0; i < SIZE; i++) {
            int at = (int) (DESC - BASE) + 16 * i;
            mem.putLong(at, words[4 * i]).putInt(at + 8, (int) (words[4 * i + 1] % 0x3000))
                    .putShort(at + 12, (short) (words[4 * i + 2] & 7)).putShort(at + 14, (short) words[4 * i + 3]);
        }
        for (int i = 0; i < SIZE; i++) {
            mem.putShort((int) (AVAIL - BASE) + 4 + 2 * i, (short) words[4 * SIZE + i]);
        }
        mem.putShort((int) (AVAIL - BASE) + 2, (short) words[5 * SIZE]);
        mem.putShort((int) (USED - BASE) + 2, (short) 0);
        int start = (int) (words[5 * SIZE + 1] & 0xffff);
        SplitQueue q = new SplitQueue(memory, SIZE, DESC, AVAIL, USED, start);
        try {
            for (int popped = 0; q.pop(chain); popped++) {
                assertThat(popped).isLessThan(SIZE);
                boolean writable = false;
                for (int k = 0; k < chain.count(); k++) {
                    assertThat(memory.holds(chain.addr(k), chain.len(k))).isTrue();
                    assertThat(!writable || chain.writable(k)).as("readable after writable").isTrue();
                    writable = chain.writable(k);
                }
                assertThat(chain.count()).isLessThanOrEqualTo(32768);
                q.push(chain.head(), 0);
            }
        } catch (SplitQueue.Fault expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
