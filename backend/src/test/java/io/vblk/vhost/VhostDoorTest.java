package io.vblk.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.DeviceStats;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The vhost-user door end to end: a real backend, the tests' own front-end driving it over a unix socket as
 * QEMU does, and the guest's rings in shared memory. Every request type in both modes, data read back byte
 * for byte, FLUSH on a file store, the mode's limit per vring counted by the backend, GET_VRING_BASE with
 * requests in flight, a front-end that vanishes, and the firmware-then-Linux restart.
 */
class VhostDoorTest {
    @TempDir
    Path dir;

    static Backend start(String yaml) throws Exception {
        BackendConfig cfg = ConfigLoader.parse("port: 0\n" + yaml, BackendConfig.class, "test.yaml");
        if (!cfg.validate().isEmpty()) {
            throw new IllegalArgumentException(cfg.validate().list().toString());
        }
        return Backend.start(cfg);
    }

    private String device(String name, String extra) {
        return "  - {name: " + name + ", size: 16MiB, vhost-user: {socket: " + dir.resolve(name + ".sock") + "}"
                + extra + "}\n";
    }

    private FrontEnd connect(String name) throws Exception {
        return FrontEnd.connect(dir.resolve(name + ".sock"), Files.createTempFile(dir, name, ".ram"));
    }

    private static DeviceStats stats(Backend b, String name) {
        return b.stats().devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] pattern(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] segment(long sector, int sectors, int flags) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sector).putInt(sectors).putInt(flags)
                .array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "aio"})
    void everyRequestTypeThroughTheDoor(String mode) throws Exception {
        try (Backend b = start("mode: " + mode + "\ndevices:\n" + device("vm", ""));
             FrontEnd fe = connect("vm")) {
            ByteBuffer config = fe.negotiate();
            assertThat(config.getLong(0)).as("capacity in sectors").isEqualTo(16L << 20 >> 9);
            assertThat(fe.features & 1L << VirtioBlk.F_FLUSH).isNotZero();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            byte[] data = pattern(8192, 1);

            r.request(0, VirtioBlk.T_OUT, 24, data, 0).kick();
            r.awaitUsed(1);
            r.request(1, VirtioBlk.T_IN, 24, null, 8192).request(2, VirtioBlk.T_FLUSH, 0, null, 0)
                    .request(3, VirtioBlk.T_GET_ID, 0, null, 20).kick();
            r.awaitUsed(4);
            assertThat(new int[] {r.status(0), r.status(1), r.status(2), r.status(3)}).containsOnly(VirtioBlk.S_OK);
            assertThat(r.data(1, 8192)).isEqualTo(data);
            assertThat(new String(r.data(3, 2), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("vm");
            // used lengths count what the device wrote, the status byte included
            assertThat(new int[] {r.usedId(0), r.usedLen(0)}).containsExactly(0, 1);
            assertThat(new int[] {r.usedId(1), r.usedLen(1)}).containsExactly(1, 8193);
            assertThat(r.usedLen(3)).isEqualTo(3);

            r.request(4, VirtioBlk.T_WRITE_ZEROES, 0, segment(24, 4, 0), 0)
                    .request(5, VirtioBlk.T_DISCARD, 0, segment(40, 8, 0), 0).kick();
            r.awaitUsed(6);
            r.request(6, VirtioBlk.T_IN, 24, null, 8192).request(7, 99, 0, null, 512)
                    .request(8, VirtioBlk.T_IN, (16L << 20 >> 9) - 1, null, 1024).kick();
            r.awaitUsed(9);
            byte[] expected = data.clone();
            Arrays.fill(expected, 0, 2048, (byte) 0);
            assertThat(new int[] {r.status(4), r.status(5), r.status(6)}).containsOnly(VirtioBlk.S_OK);
            assertThat(r.data(6, 8192)).isEqualTo(expected);
            assertThat(r.status(7)).as("an unknown type").isEqualTo(VirtioBlk.S_UNSUPP);
            assertThat(r.status(8)).as("a read past the end").isEqualTo(VirtioBlk.S_IOERR);

            DeviceStats s = stats(b, "vm");
            assertThat(new long[] {s.received(), s.completed(), s.errors()}).containsExactly(9, 9, 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "aio"})
    void theModeLimitsChainsInServicePerVring(String mode) throws Exception {
        try (Backend b = start("mode: " + mode + "\ndisk: {service-time: 5ms, parallelism: 8}\ndevices:\n"
                + device("vm", ", queues: 2"));
             FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring q0 = fe.ring(0, 64, 0);
            FrontEnd.Ring q1 = fe.ring(1, 64, 0);
            for (int s = 0; s < 16; s++) {
                q0.request(s, VirtioBlk.T_IN, 8L * s, null, 4096);
                q1.request(s, VirtioBlk.T_IN, 8L * s, null, 4096);
            }
            q0.kick();
            q1.kick();
            q0.awaitUsed(16);
            q1.awaitUsed(16);

            DeviceStats s = stats(b, "vm");
            assertThat(s.completed()).isEqualTo(32);
            int peak0 = s.queues().get(0).peakInService();
            int peak1 = s.queues().get(1).peakInService();
            if (mode.equals("sync")) {
                assertThat(new int[] {peak0, peak1}).as("requests in service per vring, sync").containsExactly(1, 1);
                assertThat(s.peakInService()).as("one per vring, two vrings").isLessThanOrEqualTo(2);
            } else {
                // all 16 were popped by one drain, and the disk takes 8 at once: far more than 1 in service
                assertThat(peak0).as("requests in service on vring 0, aio").isGreaterThan(1);
                assertThat(peak1).as("requests in service on vring 1, aio").isGreaterThan(1);
            }
        }
    }

    @Test
    void theDoorCountsWhatTheDriverHasOutstandingBesideWhatIsInService() throws Exception {
        try (Backend b = start("mode: sync\ndisk: {service-time: 20ms, parallelism: 1}\ndevices:\n" + device("vm", ""));
             FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            for (int s = 0; s < 8; s++) {
                r.request(s, VirtioBlk.T_IN, 8L * s, null, 4096);
            }
            r.kick();
            FrontEnd.await(() -> stats(b, "vm").received() == 1, "the first chain to be popped");
            DeviceStats s0 = stats(b, "vm");
            r.awaitUsed(8);
            DeviceStats s1 = stats(b, "vm");

            // sync mode: one chain in service, the other seven wait in the ring, counted by the door alone
            double outstanding = (double) (s1.outstandingArea() - s0.outstandingArea());
            double inService = (double) (s1.inServiceArea() - s0.inServiceArea());
            assertThat(s1.peakInService()).isEqualTo(1);
            assertThat(outstanding).as("chains outstanding over requests in service, integrated").isGreaterThan(2 * inService);
        }
    }

    @Test
    void getVringBaseAnswersOnlyOnceTheRequestsInServiceHaveCompleted() throws Exception {
        try (Backend b = start("mode: aio\ndisk: {service-time: 100ms, parallelism: 1}\ndevices:\n" + device("vm", ""));
             FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            for (int s = 0; s < 4; s++) {
                r.request(s, VirtioBlk.T_IN, 8L * s, null, 4096);
            }
            r.kick();
            FrontEnd.await(() -> stats(b, "vm").received() == 4, "the door to pop all 4 chains");
            assertThat(r.usedIdx()).as("none done yet: the disk takes 100 ms each").isLessThan(4);

            int base = fe.vringBase(0);

            assertThat(r.usedIdx()).as("used entries written before the answer").isEqualTo(4);
            assertThat(base).as("the next avail index").isEqualTo(4);
        }
    }

    @Test
    void theFirmwareDrivesQueueZeroThenLinuxSetsTheRingUpAnew() throws Exception {
        try (Backend b = start("devices:\n" + device("vm", "")); FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring bios = fe.ring(0, 64, 0);
            bios.request(0, VirtioBlk.T_OUT, 0, pattern(512, 2), 0).kick();
            bios.awaitUsed(1);
            assertThat(fe.vringBase(0)).isEqualTo(1);

            // Linux: the features again, then a fresh ring (zeroed indexes) from avail index 0
            fe.acked(VhostUser.SET_FEATURES, FrontEnd.u64(fe.features));
            fe.mem.putShort((int) bios.avail + 2, (short) 0).putShort((int) bios.used + 2, (short) 0);
            FrontEnd.Ring linux = fe.ring(0, 128, 0);
            linux.request(0, VirtioBlk.T_IN, 0, null, 512).kick();
            linux.awaitUsed(1);

            assertThat(linux.status(0)).isEqualTo(VirtioBlk.S_OK);
            assertThat(linux.data(0, 512)).isEqualTo(pattern(512, 2));
        }
    }

    @Test
    void aFrontEndThatVanishesMidRequestLeavesTheDeviceToTheNextOne() throws Exception {
        try (Backend b = start("mode: aio\ndisk: {service-time: 50ms, parallelism: 2}\ndevices:\n" + device("vm", ""))) {
            try (FrontEnd gone = connect("vm")) {
                gone.negotiate();
                FrontEnd.Ring r = gone.ring(0, 64, 0);
                for (int s = 0; s < 8; s++) {
                    r.request(s, VirtioBlk.T_OUT, 8L * s, pattern(4096, s), 0);
                }
                r.kick();
                FrontEnd.await(() -> stats(b, "vm").received() == 8, "the door to pop all 8 chains");
            }
            FrontEnd.await(() -> b.unanswered() == 0, "every request of the vanished front-end to complete");

            try (FrontEnd next = connect("vm")) {
                next.negotiate();
                FrontEnd.Ring r = next.ring(0, 64, 0);
                r.request(0, VirtioBlk.T_IN, 8, null, 4096).kick();
                r.awaitUsed(1);
                assertThat(r.status(0)).isEqualTo(VirtioBlk.S_OK);
                assertThat(r.data(0, 4096)).as("a write the vanished front-end had in service").isEqualTo(pattern(4096, 1));
            }
        }
    }

    @Test
    void aSecondFrontEndIsTurnedAwayWhileTheFirstIsServed() throws Exception {
        try (Backend b = start("devices:\n" + device("vm", "")); FrontEnd first = connect("vm")) {
            first.negotiate();
            try (AFUNIXSocket second = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(dir.resolve("vm.sock")))) {
                second.setSoTimeout(10_000);
                InputStream in = second.getInputStream();
                assertThat(in.read()).as("the door closes the second connection").isEqualTo(-1);
            }
            FrontEnd.Ring r = first.ring(0, 64, 0);
            r.request(0, VirtioBlk.T_FLUSH, 0, null, 0).kick();
            r.awaitUsed(1);
            assertThat(r.status(0)).isEqualTo(VirtioBlk.S_OK);
            // the metrics' door: one session served and open, the second front-end a refusal for busy
            io.vblk.metrics.DoorCounters door = b.reading().doors().stream()
                    .filter(d -> d.door().equals(io.vblk.metrics.DoorCounters.VHOST_USER)).findFirst().orElseThrow();
            assertThat(door.connections()).isEqualTo(1);
            assertThat(door.openConnections()).isEqualTo(1);
            assertThat(door.refusals()).containsEntry("busy", 1L).containsEntry("protocol", 0L);
        }
    }

    @Test
    void aFlushThroughTheDoorCompletesOnlyOnceTheWritesAreInTheImage() throws Exception {
        Path image = dir.resolve("img.raw");
        byte[] data = pattern(65536, 3);
        try (Backend b = start("devices:\n  - {name: img, size: 16MiB, store: \"file:" + image + "\", vhost-user: "
                + "{socket: " + dir.resolve("img.sock") + "}}\n");
             FrontEnd fe = connect("img")) {
            fe.negotiate();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            r.request(0, VirtioBlk.T_OUT, 2048, data, 0).kick();
            r.awaitUsed(1);
            r.request(1, VirtioBlk.T_FLUSH, 0, null, 0).kick();
            r.awaitUsed(2);
            assertThat(new int[] {r.status(0), r.status(1)}).containsOnly(VirtioBlk.S_OK);
            try (FileChannel ch = FileChannel.open(image)) {
                ByteBuffer got = ByteBuffer.allocate(data.length);
                ch.read(got, 2048L * 512);
                assertThat(got.array()).isEqualTo(data);
            }
        }
    }

    @Test
    void theRequestLogRecordsEachChainFromThePopToTheUsedRing() throws Exception {
        Path log = dir.resolve("requests.jsonl");
        try (Backend b = start("mode: aio\ndisk: {service-time: 1ms, parallelism: 4}\nlog: {requests: " + log
                + "}\ndevices:\n" + device("vm", "")); FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            for (int s = 0; s < 32; s++) {
                r.request(s, s % 2 == 0 ? VirtioBlk.T_IN : VirtioBlk.T_OUT, 8L * s, s % 2 == 0 ? null : pattern(4096, s),
                        4096);
            }
            r.kick();
            r.awaitUsed(32);
        }
        java.util.List<io.vblk.requestlog.RequestRecord> records = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(log).stream().skip(1).toList()) { // after the run header
            records.add(ConfigLoader.json().readValue(line, io.vblk.requestlog.RequestRecord.class));
        }
        assertThat(records).hasSize(32);
        assertThat(records).extracting(io.vblk.requestlog.RequestRecord::desc).containsExactlyInAnyOrder(
                java.util.stream.IntStream.range(0, 32).boxed().toArray(Integer[]::new));
        for (io.vblk.requestlog.RequestRecord rec : records) {
            assertThat(rec.device()).isEqualTo("vm");
            assertThat(rec.status()).isEqualTo("OK");
            assertThat(rec.q() <= rec.i() && rec.i() <= rec.d() && rec.d() <= rec.c() && rec.c() <= rec.r())
                    .as("phases of %s", rec).isTrue();
        }
    }

    @Test
    void theMemoryBudgetPausesPoppingAndTheRestWaitInTheRing() throws Exception {
        Path log = dir.resolve("requests.jsonl");
        try (Backend b = start("mode: aio\nmax-in-service: 64\nlimits: {max-connection-memory: 1MiB}\n"
                + "disk: {service-time: 2ms, parallelism: 1}\nlog: {requests: " + log + "}\ndevices:\n"
                + device("vm", "")); FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            for (int s = 0; s < 48; s++) {
                r.request(s, VirtioBlk.T_OUT, 128L * s, pattern(FrontEnd.SLOT_DATA, s), 0);
            }
            r.kick();
            r.awaitUsed(48);
            assertThat(stats(b, "vm").errors()).isZero();
        }
        int most = 0;
        for (String line : Files.readAllLines(log).stream().skip(1).toList()) { // after the run header
            most = Math.max(most, ConfigLoader.json().readValue(line, io.vblk.requestlog.RequestRecord.class).inServiceDevice());
        }
        // 1 MiB holds 16 copies of 64 KiB, and the one that crosses the limit is the last popped; a write gives
        // its copy back once stored, just before its completion leaves the scheduler: one more per disk slot
        assertThat(most).as("requests of the ring in the request path at once").isBetween(2, 16 + 1 + 1);
    }

    @Test
    void theSocketIsTheUsersOnlyIsRemovedAtCloseAndAStaleOneIsReplaced() throws Exception {
        Path socket = dir.resolve("vm.sock");
        try (Backend b = start("devices:\n" + device("vm", ""))) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                    .as("only the backend's user may connect").isEqualTo("rw-------");
            assertThat(b.vhostSockets()).containsEntry("vm", socket);
        }
        assertThat(socket).doesNotExist();
        // a socket left by a killed backend: bound and never removed
        org.newsclub.net.unix.AFUNIXServerSocket stale = org.newsclub.net.unix.AFUNIXServerSocket.bindOn(
                AFUNIXSocketAddress.of(socket));
        stale.setDeleteOnClose(false);
        stale.close();
        assertThat(socket).exists();
        try (Backend b = start("devices:\n" + device("vm", "")); FrontEnd fe = connect("vm")) {
            fe.negotiate();
            FrontEnd.Ring r = fe.ring(0, 64, 0);
            r.request(0, VirtioBlk.T_FLUSH, 0, null, 0).kick();
            r.awaitUsed(1);
            assertThat(r.status(0)).isEqualTo(VirtioBlk.S_OK);
        }
    }
}
