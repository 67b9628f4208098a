package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** max_discard_sectors, max_discard_seg, max_write_zeroes_*: advertised at attach, enforced, and cheap on RAM. */
class DiscardLimitsTest {
    private static final long GIB_SECTORS = (1L << 30) / 512;
    private Backend backend;

    @BeforeEach
    void start() throws Exception {
        // one event loop, so a request that held it would hold the other client too
        backend = Backends.start("event-loops: {threads: 1}\ndevices:\n"
                + "  - {name: dflt, size: 4GiB, store: ram}\n"
                + "  - {name: wide, size: 1GiB, store: ram, max-discard-seg: 256, max-discard-sectors: 2097152,"
                + " max-write-zeroes-seg: 4, max-write-zeroes-sectors: 8}\n");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void theLimitsAreAdvertisedAtAttach() throws Exception {
        try (TestClient d = TestClient.attach(backend, "dflt"); TestClient w = TestClient.attach(backend, "wide")) {
            BlkConfig c = d.attached.config();
            assertThat(new int[] {c.maxDiscardSectors(), c.maxDiscardSeg(), c.maxWriteZeroesSectors(), c.maxWriteZeroesSeg()})
                    .containsExactly(4194303, 1, 4194303, 1);
            BlkConfig cw = w.attached.config();
            assertThat(new int[] {cw.maxDiscardSectors(), cw.maxDiscardSeg(), cw.maxWriteZeroesSectors(), cw.maxWriteZeroesSeg()})
                    .containsExactly(2097152, 256, 8, 4);
        }
    }

    @Test
    void moreSegmentsThanAdvertisedAreUnsuppAndALongerSegmentIsIoerr() throws Exception {
        try (TestClient d = TestClient.attach(backend, "dflt"); TestClient w = TestClient.attach(backend, "wide")) {
            assertThat(status(d, VirtioBlk.T_DISCARD, 1, 0, 4194303)).isEqualTo(VirtioBlk.S_OK);
            assertThat(status(d, VirtioBlk.T_DISCARD, 1, 0, 4194304)).isEqualTo(VirtioBlk.S_IOERR);
            assertThat(status(d, VirtioBlk.T_DISCARD, 2, 0, 8)).isEqualTo(VirtioBlk.S_UNSUPP);
            assertThat(status(d, VirtioBlk.T_WRITE_ZEROES, 2, 0, 8)).isEqualTo(VirtioBlk.S_UNSUPP);
            assertThat(status(w, VirtioBlk.T_WRITE_ZEROES, 4, 0, 8)).isEqualTo(VirtioBlk.S_OK);
            assertThat(status(w, VirtioBlk.T_WRITE_ZEROES, 5, 0, 8)).isEqualTo(VirtioBlk.S_UNSUPP);
            assertThat(status(w, VirtioBlk.T_WRITE_ZEROES, 1, 0, 9)).isEqualTo(VirtioBlk.S_IOERR);
        }
    }

    @Test
    void theIssuesFreezingDiscardIsAnsweredAtOnceAndTheLimitItselfIsCheap() throws Exception {
        try (TestClient d = TestClient.attach(backend, "dflt"); TestClient w = TestClient.attach(backend, "wide")) {
            // the issue's request: 20 000 segments of 1 GiB (2 097 152 sectors) each, on one loop for 17 s
            long t0 = System.nanoTime();
            assertThat(status(d, VirtioBlk.T_DISCARD, 20_000, 0, 2097152)).isEqualTo(VirtioBlk.S_UNSUPP);
            // at the limit: 256 segments of 1 GiB over a device written in every 16 MiB segment
            for (long s = 0; s < GIB_SECTORS; s += 32768) {
                Completion c = w.call(BlkRequest.write(0, 0, s, Unpooled.wrappedBuffer(new byte[512])));
                c.release();
            }
            assertThat(status(w, VirtioBlk.T_DISCARD, 256, 0, 2097152)).isEqualTo(VirtioBlk.S_OK);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("both requests and the writes, ms").isLessThan(1500);
        }
    }

    /** Sends one request of {@code n} identical segments (sector, sectors, no flags) and returns its status. */
    private static int status(TestClient c, int type, int n, long sector, long sectors) throws InterruptedException {
        ByteBuf segs = Unpooled.buffer(n * VirtioBlk.SEGMENT_BYTES);
        for (int i = 0; i < n; i++) {
            segs.writeLongLE(sector).writeIntLE((int) sectors).writeIntLE(0);
        }
        Completion done = c.call(new BlkRequest(0, 1, type, 0, 0, segs.readableBytes(), segs));
        done.release();
        return done.status();
    }
}
