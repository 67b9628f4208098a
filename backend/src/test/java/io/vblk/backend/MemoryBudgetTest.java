package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The budget counts what held slices really pin: their whole read buffer, once, while any of them is held. */
class MemoryBudgetTest {
    private final AtomicInteger crossings = new AtomicInteger();

    @Test
    void aSliceCountsItsWholeBufferAndSlicesOfOneBufferCountItOnce() {
        withTwoSlices(64 * 1024, (budget, a, b, capacity) -> {
            MemoryBudget.Pin pa = budget.pin(a);
            MemoryBudget.Pin pb = budget.pin(b);
            assertThat(budget.held()).as("one 64 KiB read buffer, not two 4 KiB slices").isEqualTo(capacity);
            assertThat(pb).isSameAs(pa);
            pa.release();
            assertThat(budget.held()).as("b still pins the buffer").isEqualTo(capacity);
            pb.release();
        });
    }

    @Test
    void aSliceOfABufferWhosePinWasReleasedPinsItAgain() {
        withTwoSlices(16 * 1024, (budget, a, b, capacity) -> {
            budget.pin(a).release();
            MemoryBudget.Pin pb = budget.pin(b);
            assertThat(budget.held()).isEqualTo(capacity);
            pb.release();
        });
    }

    private interface TwoSlices {
        void run(MemoryBudget budget, ByteBuf a, ByteBuf b, int capacity);
    }

    // two 4 KiB slices of one read buffer, as a decoder cuts them; when the test is done nothing is held
    private void withTwoSlices(int capacity, TwoSlices test) {
        MemoryBudget budget = new MemoryBudget(1 << 20, crossings::incrementAndGet);
        ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(capacity).writeZero(2 * 4096);
        ByteBuf a = read.readRetainedSlice(4096);
        ByteBuf b = read.readRetainedSlice(4096);
        read.release();
        try {
            test.run(budget, a, b, capacity);
            assertThat(budget.held()).isZero();
        } finally {
            a.release();
            b.release();
        }
    }

    @Test
    void crossingTheLimitEitherWayCallsBackOnceEach() {
        MemoryBudget budget = new MemoryBudget(1000, crossings::incrementAndGet);
        budget.hold(600);
        assertThat(crossings).hasValue(0);
        budget.hold(600);
        budget.hold(600);
        assertThat(crossings).as("over once").hasValue(1);
        budget.unhold(600);
        assertThat(crossings).as("still over").hasValue(1);
        budget.unhold(600);
        assertThat(crossings).as("back under").hasValue(2);
        budget.unhold(600);
        assertThat(budget.held()).isZero();
    }
}
