package io.vblk.vhost;

import static io.vblk.vhost.SplitQueue.F_INDIRECT;
import static io.vblk.vhost.SplitQueue.F_NEXT;
import static io.vblk.vhost.SplitQueue.F_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Chains popped as a virtio-blk driver lays them out, and every way a hostile driver can break the ring. */
class SplitQueueTest {
    private final Driver driver = new Driver(8);
    private final SplitQueue.Chain chain = new SplitQueue.Chain();

    /** A virtio-blk read: 16-byte header, a 4 KiB buffer the device writes, a status byte. */
    private Driver blkRead(int first) {
        return driver.desc(first, Driver.DATA, 16, F_NEXT, first + 1)
                .desc(first + 1, Driver.DATA + 0x1000, 4096, F_NEXT | F_WRITE, first + 2)
                .desc(first + 2, Driver.DATA + 0x3000, 1, F_WRITE, 0);
    }

    private void assertFault(String message) {
        SplitQueue q = driver.queue();
        assertThatThrownBy(() -> q.pop(chain)).isInstanceOf(SplitQueue.Fault.class).hasMessageContaining(message);
    }

    @Test
    void aChainIsPoppedWithEachBuffersAddressLengthAndDirection() {
        blkRead(2).offer(2);
        SplitQueue q = driver.queue();

        assertThat(q.pending()).isEqualTo(1);
        assertThat(q.pop(chain)).isTrue();
        assertThat(chain.head()).isEqualTo(2);
        assertThat(chain.count()).isEqualTo(3);
        assertThat(chain.addr(1)).isEqualTo(Driver.DATA + 0x1000);
        assertThat(chain.len(1)).isEqualTo(4096);
        assertThat(new boolean[] {chain.writable(0), chain.writable(1), chain.writable(2)}).containsExactly(false, true, true);
        assertThat(q.pop(chain)).as("nothing more available").isFalse();
        assertThat(q.nextAvail()).isEqualTo(1);
    }

    @Test
    void anIndirectTableIsWalkedInPlaceOfTheHead() {
        long table = Driver.DATA + 0x8000;
        driver.desc(table, 0, Driver.DATA, 16, F_NEXT, 1).desc(table, 1, Driver.DATA + 0x1000, 512, F_NEXT | F_WRITE, 2)
                .desc(table, 2, Driver.DATA + 0x3000, 1, F_WRITE, 0);
        driver.desc(5, table, 48, F_INDIRECT, 0).offer(5);
        SplitQueue q = driver.queue();

        assertThat(q.pop(chain)).isTrue();
        assertThat(chain.head()).isEqualTo(5);
        assertThat(chain.count()).isEqualTo(3);
        assertThat(chain.len(1)).isEqualTo(512);
    }

    @Test
    void usedEntriesAreWrittenBeforeTheIndexAndTheDriversFlagsDecideTheInterrupt() {
        blkRead(0).offer(0);
        SplitQueue q = driver.queue();
        q.pop(chain);

        q.push(chain.head(), 4097);

        assertThat(driver.usedIdx()).isEqualTo(1);
        assertThat(driver.usedId(0)).isZero();
        assertThat(driver.usedLen(0)).isEqualTo(4097);
        assertThat(q.needsInterrupt()).isTrue();
        driver.availFlags(SplitQueue.AVAIL_F_NO_INTERRUPT);
        assertThat(q.needsInterrupt()).isFalse();
    }

    @Test
    void theAvailIndexWrapsAtSixtyFiveThousand() {
        blkRead(0);
        driver.availIdx(65535).offer(0);   // entry 65535 -> idx 0
        SplitQueue q = new SplitQueue(driver.memory, 8, Driver.DESC, Driver.AVAIL, Driver.USED, 65535);

        assertThat(q.pending()).isEqualTo(1);
        assertThat(q.pop(chain)).isTrue();
        assertThat(q.nextAvail()).isZero();
    }

    // ---- a hostile driver, one rule at a time

    @Test
    void anAvailIndexFurtherAheadThanTheQueueIsAFault() {
        driver.availIdx(9);
        assertFault("avail.idx runs 9 entries ahead");
    }

    @Test
    void aHeadBeyondTheQueueIsAFault() {
        driver.offer(8);
        assertFault("names descriptor 8 of a queue of 8");
    }

    @Test
    void aNextBeyondTheTableIsAFault() {
        driver.desc(0, Driver.DATA, 16, F_NEXT, 9).offer(0);
        assertFault("chains to 9 beyond its table of 8");
    }

    @Test
    void aLoopIsAFault() {
        driver.desc(0, Driver.DATA, 16, F_NEXT, 1).desc(1, Driver.DATA, 16, F_NEXT, 0).offer(0);
        assertFault("longer than its table of 8 (a loop?)");
    }

    @Test
    void aReadableBufferAfterAWritableOneIsAFault() {
        driver.desc(0, Driver.DATA, 16, F_NEXT | F_WRITE, 1).desc(1, Driver.DATA, 16, 0, 0).offer(0);
        assertFault("device-readable after a device-writable one");
    }

    @Test
    void aBufferOutsideGuestMemoryIsAFault() {
        driver.desc(0, Driver.BASE + Driver.MEMORY - 8, 16, 0, 0).offer(0);
        assertFault("outside guest memory");
    }

    @Test
    void aBufferWhoseLengthWrapsTheAddressSpaceIsAFault() {
        driver.desc(0, 0xffff_ffff_ffff_fff0L, 0x20, 0, 0).offer(0);
        assertFault("outside guest memory");
    }

    @Test
    void anIndirectTableInsideAnIndirectTableIsAFault() {
        long table = Driver.DATA + 0x8000;
        driver.desc(table, 0, table, 16, F_INDIRECT, 0).desc(0, table, 16, F_INDIRECT, 0).offer(0);
        assertFault("is itself indirect");
    }

    @Test
    void anIndirectDescriptorThatAlsoChainsIsAFault() {
        driver.desc(0, Driver.DATA + 0x8000, 16, F_INDIRECT | F_NEXT, 1).offer(0);
        assertFault("not alone at the head");
    }

    @Test
    void anIndirectTableThatIsNotWholeDescriptorsIsAFault() {
        driver.desc(0, Driver.DATA + 0x8000, 20, F_INDIRECT, 0).offer(0);
        assertFault("has a table of 20 bytes");
    }

    @Test
    void ringsOutsideMemoryOrMisalignedAreRefusedWhenTheQueueIsSetUp() {
        assertThatThrownBy(() -> new SplitQueue(driver.memory, 8, Driver.DESC + 8, Driver.AVAIL, Driver.USED, 0))
                .isInstanceOf(SplitQueue.Fault.class).hasMessageContaining("not 16-byte aligned");
        assertThatThrownBy(() -> new SplitQueue(driver.memory, 8, Driver.BASE + Driver.MEMORY, Driver.AVAIL, Driver.USED, 0))
                .isInstanceOf(SplitQueue.Fault.class).hasMessageContaining("not within one memory region");
        assertThatThrownBy(() -> new SplitQueue(driver.memory, 6, Driver.DESC, Driver.AVAIL, Driver.USED, 0))
                .isInstanceOf(SplitQueue.Fault.class).hasMessageContaining("not a power of two");
    }
}
