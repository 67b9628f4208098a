package io.vblk.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.backend.Backend;
import io.vblk.protocol.nbd.Nbd;
import io.vblk.result.DeviceStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every transmission command through the shared request path, with simple and structured replies, and their errors. */
class NbdCommandsTest {
    private static final int SIZE = 1 << 20;
    @TempDir
    static Path dir;
    private static Backend backend;
    private static Path image;

    @BeforeAll
    static void start() throws Exception {
        image = dir.resolve("f0.raw");
        backend = NbdBackends.start("devices:\n  - {name: d0, size: 1MiB, store: ram}\n"
                + "  - {name: ro, size: 1MiB, store: ram, read-only: true}\n"
                + "  - {name: f0, size: 1MiB, store: \"file:" + image + "\"}\n"
                + "  - {name: small, size: 1MiB, store: ram, max-discard-sectors: 8, max-write-zeroes-sectors: 16}\n");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static DeviceStats stats(String device) {
        return backend.stats().devices().stream().filter(d -> d.name().equals(device)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "structured={0}")
    @ValueSource(booleans = {false, true})
    void writeThenReadBackByteIdentical(boolean structured) throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", structured)) {
            byte[] data = random(64 * 1024, structured ? 1 : 2);
            assertThat(c.write(8192, data, 0).error()).isZero();
            NbdClient.Reply r = c.read(8192, data.length);
            assertThat(r.error()).isZero();
            assertThat(r.structured()).isEqualTo(structured);
            assertThat(r.data()).isEqualTo(data);
            if (structured) {
                assertThat(r.chunkTypes()).containsExactly(Nbd.REPLY_TYPE_OFFSET_DATA);
            }
        }
    }

    @Test
    void largestTransferRoundTripsAndOneOverIsRefused() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "f0", true)) {
            byte[] data = random(SIZE, 3);
            assertThat(c.write(0, data, 0).error()).isZero();
            assertThat(c.read(0, SIZE).data()).isEqualTo(data);
            NbdClient.Reply over = c.read(0, (4 << 20) + 512);
            assertThat(over.error()).isEqualTo(Nbd.EOVERFLOW);
            assertThat(over.message()).contains("maximum block size");
        }
    }

    @Test
    void fuaWriteGoesThroughTheQueueWithAFlushBeforeItsReply() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "f0", false)) {
            long before = stats("f0").received();
            byte[] data = random(4096, 4);
            assertThat(c.write(65536, data, Nbd.CMD_FLAG_FUA).error()).isZero();
            // the write and its flush, both counted by the device
            assertThat(stats("f0").received() - before).isEqualTo(2);
            assertThat(c.write(65536, data, 0).error()).isZero();
            assertThat(stats("f0").received() - before).isEqualTo(3);
            assertThat(Arrays.copyOfRange(Files.readAllBytes(image), 65536, 65536 + 4096)).isEqualTo(data);
        }
    }

    @Test
    void flushOnAFileStoreSucceedsAndTheImageHoldsTheData() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "f0", false)) {
            byte[] data = random(8192, 5);
            assertThat(c.write(131072, data, 0).error()).isZero();
            assertThat(c.call(Nbd.CMD_FLUSH, 0, 0, 0, null).error()).isZero();
            assertThat(Arrays.copyOfRange(Files.readAllBytes(image), 131072, 131072 + 8192)).isEqualTo(data);
        }
    }

    @ParameterizedTest(name = "command={0}")
    @ValueSource(ints = {Nbd.CMD_TRIM, Nbd.CMD_WRITE_ZEROES, -1})
    void trimAndWriteZeroesReadBackZeros(int command) throws Exception {
        // -1: WRITE_ZEROES with NO_HOLE, which clears virtio's UNMAP flag
        int type = command < 0 ? Nbd.CMD_WRITE_ZEROES : command;
        int flags = command < 0 ? Nbd.CMD_FLAG_NO_HOLE : 0;
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", true)) {
            long at = 200 * 1024;
            assertThat(c.write(at, random(16384, 6), 0).error()).isZero();
            assertThat(c.call(type, flags, at + 4096, 8192, null).error()).isZero();
            byte[] back = c.read(at, 16384).data();
            assertThat(Arrays.copyOfRange(back, 4096, 12288)).containsOnly((byte) 0);
            assertThat(Arrays.copyOfRange(back, 0, 4096)).isEqualTo(Arrays.copyOfRange(random(16384, 6), 0, 4096));
        }
    }

    @ParameterizedTest(name = "structured={0}")
    @ValueSource(booleans = {false, true})
    void unalignedOffsetsAndLengthsAreEinvalWithoutTouchingTheDevice(boolean structured) throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", structured)) {
            long before = stats("d0").received();
            NbdClient.Reply r = c.read(100, 512);
            assertThat(r.error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.read(0, 100).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.write(512, new byte[700], 0).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.call(Nbd.CMD_TRIM, 0, 0, 0, null).error()).isEqualTo(Nbd.EINVAL);
            assertThat(stats("d0").received()).isEqualTo(before);
            if (structured) {
                assertThat(r.chunkTypes()).containsExactly(Nbd.REPLY_TYPE_ERROR);
                assertThat(r.message()).contains("multiples of 512");
            }
        }
    }

    @Test
    void pastTheEndIsEnospcForWritesAndEinvalForReadsAndTrims() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", true)) {
            long errors = stats("d0").errors();
            NbdClient.Reply w = c.write(SIZE - 512, new byte[1024], 0);
            assertThat(w.error()).isEqualTo(Nbd.ENOSPC);
            assertThat(w.message()).contains("past the end");
            assertThat(c.call(Nbd.CMD_WRITE_ZEROES, 0, SIZE, 512, null).error()).isEqualTo(Nbd.ENOSPC);
            assertThat(c.read(SIZE, 512).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.call(Nbd.CMD_TRIM, 0, SIZE - 512, 1024, null).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.read(-512L, 512).error()).isEqualTo(Nbd.EINVAL);
            // they went through the device's checks, like virtio requests out of range
            assertThat(stats("d0").errors() - errors).isEqualTo(5);
            assertThat(c.read(SIZE - 512, 512).error()).isZero();
        }
    }

    @Test
    void trimAndWriteZeroesOverTheDevicesLimitsAreEinvalNamingThem() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "small", true)) {
            assertThat(c.call(Nbd.CMD_TRIM, 0, 0, 4096, null).error()).isZero();
            NbdClient.Reply trim = c.call(Nbd.CMD_TRIM, 0, 0, 4608, null);
            assertThat(trim.error()).isEqualTo(Nbd.EINVAL);
            assertThat(trim.message()).contains("max-discard-sectors (4096 bytes)");
            assertThat(c.call(Nbd.CMD_WRITE_ZEROES, 0, 0, 8192, null).error()).isZero();
            NbdClient.Reply zeroes = c.call(Nbd.CMD_WRITE_ZEROES, 0, 0, 8704, null);
            assertThat(zeroes.error()).isEqualTo(Nbd.EINVAL);
            assertThat(zeroes.message()).contains("max-write-zeroes-sectors (8192 bytes)");
        }
    }

    @Test
    void writesToAReadOnlyExportAreEpermAndReadsWork() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "ro", false)) {
            assertThat(c.write(0, new byte[512], 0).error()).isEqualTo(Nbd.EPERM);
            assertThat(c.call(Nbd.CMD_TRIM, 0, 0, 512, null).error()).isEqualTo(Nbd.EPERM);
            assertThat(c.call(Nbd.CMD_WRITE_ZEROES, 0, 0, 512, null).error()).isEqualTo(Nbd.EPERM);
            NbdClient.Reply r = c.read(0, 4096);
            assertThat(r.error()).isZero();
            assertThat(r.data()).containsOnly((byte) 0);
        }
    }

    @ParameterizedTest(name = "structured={0}")
    @ValueSource(booleans = {false, true})
    void unknownCommandsAndFlagsAreEinvalAndTheConnectionGoesOn(boolean structured) throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", structured)) {
            assertThat(c.call(Nbd.CMD_CACHE, 0, 0, 512, null).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.call(Nbd.CMD_BLOCK_STATUS, 0, 0, 512, null).error()).isEqualTo(Nbd.EINVAL);
            NbdClient.Reply odd = c.call(99, 0, 0, 512, null);
            assertThat(odd.error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.call(Nbd.CMD_READ, Nbd.CMD_FLAG_DF, 0, 512, null).error()).isEqualTo(Nbd.EINVAL);
            assertThat(c.write(0, new byte[512], Nbd.CMD_FLAG_NO_HOLE).error()).isEqualTo(Nbd.EINVAL);
            if (structured) {
                assertThat(odd.message()).contains("CMD_99");
            }
            assertThat(c.read(0, 512).error()).isZero();
        }
    }

    @Test
    void discAnswersEverythingInFlightThenCloses() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", false)) {
            for (int i = 0; i < 10; i++) {
                c.send(Nbd.CMD_READ, 0, i, i * 4096L, 4096, null);
            }
            c.send(Nbd.CMD_DISC, 0, 99, 0, 0, null);
            c.flush();
            boolean[] seen = new boolean[10];
            for (int i = 0; i < 10; i++) {
                NbdClient.Reply r = c.readReply();
                assertThat(r.error()).isZero();
                seen[(int) r.cookie()] = true;
            }
            assertThat(seen).containsOnly(true);
            assertThat(c.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void writePayloadOverTheMaximumClosesTheConnection() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", false)) {
            c.send(Nbd.CMD_WRITE, 0, 1, 0, (8L << 20), null);
            c.flush();
            assertThat(c.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void badRequestMagicClosesTheConnection() throws Exception {
        try (NbdClient c = NbdClient.attach(backend.nbdAddress(), "d0", false)) {
            c.sendRaw(new byte[28]);
            assertThat(c.closedWithin(5000)).isTrue();
        }
    }
}
