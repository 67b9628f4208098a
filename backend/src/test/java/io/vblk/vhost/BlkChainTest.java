package io.vblk.vhost;

import static io.vblk.vhost.SplitQueue.F_NEXT;
import static io.vblk.vhost.SplitQueue.F_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.VirtioBlk;
import org.junit.jupiter.api.Test;

/** virtio-blk requests read out of chains as a Linux driver lays them out, and chains too short to be one. */
class BlkChainTest {
    private final Driver driver = new Driver(8);
    private final BlkChain slot = new BlkChain();
    private final BlkRequest[] request = new BlkRequest[1];

    private void header(long at, int type, long sector) {
        int off = (int) (at - Driver.BASE);
        driver.mem.putInt(off, type).putInt(off + 4, 0).putLong(off + 8, sector);
    }

    private BlkChain pop() {
        return pop(Long.MAX_VALUE);
    }

    private BlkChain pop(long maxCopy) {
        SplitQueue q = driver.queue();
        assertThat(q.pop(slot.chain())).isTrue();
        request[0] = slot.parse(driver.memory, 0, PooledByteBufAllocator.DEFAULT, maxCopy);
        return slot;
    }

    @Test
    void aWriteSplitAcrossDescriptorsIsCopiedOutWhole() {
        header(Driver.DATA, VirtioBlk.T_OUT, 24);
        for (int i = 0; i < 1024; i++) {
            driver.mem.put((int) (Driver.DATA + 0x1000 - Driver.BASE) + i, (byte) i);
        }
        // the header and the first 512 data bytes in one buffer is not required: here the header is split too
        driver.desc(0, Driver.DATA, 8, F_NEXT, 1).desc(1, Driver.DATA + 8, 8, F_NEXT, 2)
                .desc(2, Driver.DATA + 0x1000, 512, F_NEXT, 3).desc(3, Driver.DATA + 0x1200, 512, F_NEXT, 4)
                .desc(4, Driver.DATA + 0x3000, 1, F_WRITE, 0).offer(0);

        BlkChain c = pop();
        BlkRequest r = request[0];
        try {
            assertThat(r.type()).isEqualTo(VirtioBlk.T_OUT);
            assertThat(r.sector()).isEqualTo(24);
            assertThat(r.descriptor()).isZero();
            assertThat(r.length()).isEqualTo(1024);
            assertThat(r.data().readableBytes()).isEqualTo(1024);
            assertThat(r.data().getByte(700)).isEqualTo((byte) 700);
            assertThat(c.statusAddr()).isEqualTo(Driver.DATA + 0x3000);
            assertThat(c.inBytes()).isZero();
        } finally {
            r.release();
        }
    }

    @Test
    void aReadFillsTheWritableBuffersAndNotTheStatus() {
        header(Driver.DATA, VirtioBlk.T_IN, 8);
        driver.desc(0, Driver.DATA, 16, F_NEXT, 1).desc(1, Driver.DATA + 0x1000, 100, F_NEXT | F_WRITE, 2)
                .desc(2, Driver.DATA + 0x2000, 413, F_WRITE, 0).offer(0);   // 512 bytes of data, the status last
        driver.mem.put((int) (Driver.DATA + 0x2000 + 412 - Driver.BASE), (byte) 0x77);

        BlkChain c = pop();
        assertThat(request[0].length()).isEqualTo(512);
        assertThat(request[0].data().readableBytes()).isZero();
        request[0].release();
        ByteBuf read = Unpooled.buffer(512);
        for (int i = 0; i < 512; i++) {
            read.writeByte(i % 251);
        }
        c.fill(driver.memory, read, 512);
        read.release();

        assertThat(c.inBytes()).isEqualTo(512);
        assertThat(c.statusAddr()).isEqualTo(Driver.DATA + 0x2000 + 412);
        assertThat(driver.mem.get((int) (Driver.DATA + 0x1000 + 99 - Driver.BASE))).isEqualTo((byte) 99);
        assertThat(driver.mem.get((int) (Driver.DATA + 0x2000 + 411 - Driver.BASE))).isEqualTo((byte) (511 % 251));
        assertThat(driver.mem.get((int) (Driver.DATA + 0x2000 + 412 - Driver.BASE))).as("status untouched").isEqualTo((byte) 0x77);
    }

    @Test
    void aHeaderAloneInItsDescriptorIsReadInPlaceAndDataOverTheCopyBoundIsNotCopied() {
        header(Driver.DATA, VirtioBlk.T_OUT, 7);
        driver.desc(0, Driver.DATA, 16, F_NEXT, 1).desc(1, Driver.DATA + 0x1000, 8192, F_NEXT, 2)
                .desc(2, Driver.DATA + 0x3000, 1, F_WRITE, 0).offer(0);

        pop(4096);
        BlkRequest r = request[0];
        try {
            assertThat(r.sector()).isEqualTo(7);
            assertThat(r.length()).as("the length the guest asked for, for the check to refuse").isEqualTo(8192);
            assertThat(r.data().readableBytes()).isZero();
        } finally {
            r.release();
        }
    }

    @Test
    void aReadIntoOneDescriptorHandsTheStoreTheGuestsOwnBuffer() {
        header(Driver.DATA, VirtioBlk.T_IN, 8);
        driver.desc(0, Driver.DATA, 16, F_NEXT, 1).desc(1, Driver.DATA + 0x1000, 512, F_NEXT | F_WRITE, 2)
                .desc(2, Driver.DATA + 0x3000, 1, F_WRITE, 0).offer(0);

        BlkChain c = pop();
        ByteBuf view = request[0].data();
        try {
            assertThat(view).isSameAs(c.view());
            assertThat(view.writerIndex()).as("empty, for the store to fill").isZero();
            assertThat(view.capacity()).isEqualTo(512);
            view.writeInt(0x01020304);
            assertThat(driver.mem.getInt((int) (Driver.DATA + 0x1000 - Driver.BASE)))
                    .as("written straight into guest memory").isEqualTo(0x04030201);
        } finally {
            request[0].release();
        }
    }

    @Test
    void aHeaderShorterThanSixteenBytesIsAFault() {
        driver.desc(0, Driver.DATA, 12, F_NEXT, 1).desc(1, Driver.DATA + 0x3000, 1, F_WRITE, 0).offer(0);
        driver.queue().pop(slot.chain());
        assertThatThrownBy(() -> slot.parse(driver.memory, 0, PooledByteBufAllocator.DEFAULT, Long.MAX_VALUE))
                .isInstanceOf(SplitQueue.Fault.class).hasMessageContaining("12 device-readable bytes");
    }

    @Test
    void aChainWithNoWritableByteForTheStatusIsAFault() {
        header(Driver.DATA, VirtioBlk.T_FLUSH, 0);
        driver.desc(0, Driver.DATA, 16, 0, 0).offer(0);
        driver.queue().pop(slot.chain());
        assertThatThrownBy(() -> slot.parse(driver.memory, 0, PooledByteBufAllocator.DEFAULT, Long.MAX_VALUE))
                .isInstanceOf(SplitQueue.Fault.class).hasMessageContaining("no device-writable byte");
    }
}
