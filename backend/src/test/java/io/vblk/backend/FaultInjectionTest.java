package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.requestlog.RequestRecord;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.DeviceStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over a real socket: requests into the faulty range fail with IOERR and write nothing; the run goes on. */
class FaultInjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ByteBuf filled(int bytes, int value) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) value);
        return Unpooled.wrappedBuffer(b);
    }

    @Test
    void faultyRangeFailsElsewhereOkAndErrorsAreCounted() throws Exception {
        Path log = dir.resolve("requests.jsonl");
        // sectors 64..127 are faulty; requests are 8 sectors, so blocks 8..15 fail and 0..7, 16..31 pass
        Backend b = Backends.start("log: {requests: " + log + "}\n"
                + "devices:\n  - {name: f, size: 1MiB, fault: {sectors: [64, 127], delay: 1ms}}\n");
        int failed = 0;
        List<Long> failedSectors = new ArrayList<>();
        try (TestClient c = TestClient.attach(b, "f")) {
            for (int blk = 0; blk < 32; blk++) {
                long sector = blk * 8L;
                boolean faulty = sector >= 64 && sector <= 127;
                Completion w = c.call(BlkRequest.write(0, 0, sector, filled(4096, blk + 1)));
                assertThat(w.status()).as("write at %d", sector).isEqualTo(faulty ? VirtioBlk.S_IOERR : VirtioBlk.S_OK);
                w.release();
                Completion r = c.call(BlkRequest.read(0, 1, sector, 4096));
                assertThat(r.status()).as("read at %d", sector).isEqualTo(faulty ? VirtioBlk.S_IOERR : VirtioBlk.S_OK);
                if (!faulty) {
                    assertThat(r.usedLength()).isEqualTo(4096);
                    assertThat(r.data().getByte(r.data().readerIndex())).isEqualTo((byte) (blk + 1));
                    assertThat(r.data().getByte(r.data().readerIndex() + 4095)).isEqualTo((byte) (blk + 1));
                } else {
                    failed += 2;
                    failedSectors.add(sector);
                }
                r.release();
            }
            // a request straddling the range's first sector fails too
            Completion straddle = c.call(BlkRequest.write(0, 2, 60, filled(4096, 99)));
            assertThat(straddle.status()).isEqualTo(VirtioBlk.S_IOERR);
            straddle.release();
            failed++;
            Completion flush = c.call(BlkRequest.of(0, 3, VirtioBlk.T_FLUSH, 0, 0));
            assertThat(flush.status()).isEqualTo(VirtioBlk.S_OK);
            flush.release();
            // the failed straddling write left sectors 60..63 as block 7 wrote them
            Completion back = c.call(BlkRequest.read(0, 4, 56, 4096));
            assertThat(back.status()).isEqualTo(VirtioBlk.S_OK);
            assertThat(back.data().getByte(back.data().readerIndex() + 4095)).isEqualTo((byte) 8);
            back.release();
            DeviceStats s = b.stats().devices().get(0);
            assertThat(failed).isEqualTo(8 * 2 + 1);
            assertThat(s.errors()).isEqualTo(failed);
            assertThat(s.completed()).isEqualTo(32 * 2 + 3);
        } finally {
            b.close();
        }
        List<RequestRecord> ioerr = new ArrayList<>();
        for (String line : Files.readAllLines(log).stream().skip(1).toList()) { // after the run header
            RequestRecord r = JSON.readValue(line, RequestRecord.class);
            if (!r.status().equals("OK")) {
                ioerr.add(r);
            }
        }
        assertThat(ioerr).hasSize(failed).allMatch(r -> r.status().equals("IOERR"));
        assertThat(ioerr).extracting(RequestRecord::sector).containsAll(failedSectors).contains(60L);
    }

    @Test
    void everyNthFailsAcrossConnectionsAndTheRunGoesOn() throws Exception {
        Backend b = Backends.start("devices:\n  - {name: n, size: 1MiB, fault: {every: 4}}\n");
        try (TestClient c = TestClient.attach(b, "n")) {
            int errors = 0;
            for (int i = 0; i < 40; i++) {
                Completion w = c.call(BlkRequest.write(0, 0, i * 8L, filled(4096, 1)));
                // sequential requests reach the store in order: the 4th, 8th, ... fail
                assertThat(w.status()).as("request %d", i + 1)
                        .isEqualTo((i + 1) % 4 == 0 ? VirtioBlk.S_IOERR : VirtioBlk.S_OK);
                if (w.status() != VirtioBlk.S_OK) {
                    errors++;
                }
                w.release();
            }
            assertThat(errors).isEqualTo(10);
            assertThat(b.stats().devices().get(0).errors()).isEqualTo(10);
        } finally {
            b.close();
        }
    }
}
