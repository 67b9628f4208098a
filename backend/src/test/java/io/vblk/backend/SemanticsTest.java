package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The statuses virtio-blk prescribes for requests a device must refuse, and the ones it must serve. */
class SemanticsTest {
    private static final long CAPACITY_SECTORS = (1 << 20) / 512;
    private Backend backend;
    private TestClient rw;

    @BeforeEach
    void start() throws Exception {
        backend = Backends.start("devices:\n  - {name: rw0, size: 1MiB, store: ram}\n"
                + "  - {name: ro0, size: 1MiB, store: ram, read-only: true}\n");
        rw = TestClient.attach(backend, "rw0");
    }

    @AfterEach
    void stop() {
        rw.close();
        backend.close();
    }

    private int status(TestClient c, BlkRequest r) throws InterruptedException {
        Completion done = c.call(r);
        done.release();
        return done.status();
    }

    @Test
    void readPastCapacityIsIoError() throws Exception {
        assertThat(status(rw, BlkRequest.read(0, 1, CAPACITY_SECTORS - 7, 4096))).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(status(rw, BlkRequest.read(0, 1, CAPACITY_SECTORS - 8, 4096))).isEqualTo(VirtioBlk.S_OK);
    }

    @Test
    void lengthOffTheSectorUnitIsIoError() throws Exception {
        assertThat(status(rw, BlkRequest.read(0, 1, 0, 1000))).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(status(rw, BlkRequest.write(0, 2, 0, Unpooled.wrappedBuffer(new byte[100])))).isEqualTo(VirtioBlk.S_IOERR);
    }

    @Test
    void zeroLengthIoIsIoError() throws Exception {
        assertThat(status(rw, BlkRequest.read(0, 1, 0, 0))).isEqualTo(VirtioBlk.S_IOERR);
    }

    @Test
    void writeToReadOnlyDeviceIsIoErrorAndWritesNothing() throws Exception {
        try (TestClient ro = TestClient.attach(backend, "ro0")) {
            assertThat(VirtioBlk.has(ro.attached.features(), VirtioBlk.F_RO)).isTrue();
            byte[] ones = new byte[4096];
            Arrays.fill(ones, (byte) 1);
            assertThat(status(ro, BlkRequest.write(0, 1, 0, Unpooled.wrappedBuffer(ones)))).isEqualTo(VirtioBlk.S_IOERR);
            Completion read = ro.call(BlkRequest.read(0, 2, 0, 4096));
            assertThat(DataPathTest.bytes(read.data())).isEqualTo(new byte[4096]);
            read.release();
        }
    }

    @Test
    void unknownTypeIsUnsupported() throws Exception {
        assertThat(status(rw, BlkRequest.of(0, 1, 99, 0, 0))).isEqualTo(VirtioBlk.S_UNSUPP);
        assertThat(status(rw, BlkRequest.of(0, 1, 7, 0, 0))).isEqualTo(VirtioBlk.S_UNSUPP);
    }

    @Test
    void getIdAnswersTheDeviceName() throws Exception {
        Completion id = rw.call(BlkRequest.of(0, 1, VirtioBlk.T_GET_ID, 0, VirtioBlk.ID_BYTES));
        assertThat(id.status()).isEqualTo(VirtioBlk.S_OK);
        assertThat(id.data().toString(StandardCharsets.US_ASCII)).isEqualTo("rw0");
        id.release();
    }

    @Test
    void discardAndWriteZeroesReadAsZeros() throws Exception {
        byte[] ones = new byte[8192];
        Arrays.fill(ones, (byte) 0x5a);
        assertThat(status(rw, BlkRequest.write(0, 1, 0, Unpooled.wrappedBuffer(ones)))).isEqualTo(VirtioBlk.S_OK);
        assertThat(status(rw, segments(VirtioBlk.T_WRITE_ZEROES, 0, 1, 0))).isEqualTo(VirtioBlk.S_OK);
        assertThat(status(rw, segments(VirtioBlk.T_DISCARD, 8, 8, 0))).isEqualTo(VirtioBlk.S_OK);
        Completion read = rw.call(BlkRequest.read(0, 2, 0, 8192));
        byte[] got = DataPathTest.bytes(read.data());
        read.release();
        byte[] expected = ones.clone();
        Arrays.fill(expected, 0, 512, (byte) 0);
        Arrays.fill(expected, 4096, 8192, (byte) 0);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void discardPastCapacityOrWithFlagsIsRefused() throws Exception {
        assertThat(status(rw, segments(VirtioBlk.T_DISCARD, CAPACITY_SECTORS - 1, 2, 0))).isEqualTo(VirtioBlk.S_IOERR);
        assertThat(status(rw, segments(VirtioBlk.T_DISCARD, 0, 1, 1))).isEqualTo(VirtioBlk.S_UNSUPP);
    }

    @Test
    void flushCompletesOk() throws Exception {
        assertThat(status(rw, BlkRequest.of(0, 1, VirtioBlk.T_FLUSH, 0, 0))).isEqualTo(VirtioBlk.S_OK);
    }

    private static BlkRequest segments(int type, long sector, int sectors, int flags) {
        ByteBuf seg = Unpooled.buffer(16).writeLongLE(sector).writeIntLE(sectors).writeIntLE(flags);
        return new BlkRequest(0, 1, type, 0, 0, 16, seg);
    }
}
