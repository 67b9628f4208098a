package io.vblk.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.backend.Backend;
import io.vblk.config.ConfigLoader;
import io.vblk.requestlog.RequestRecord;
import io.vblk.protocol.nbd.Nbd;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NBD requests take the virtio request path: descriptors, service mode, scheduler weights, counters, log, cleanup. */
class NbdPipelineTest {
    @TempDir
    Path dir;

    private static DeviceStats stats(Backend b, String device) {
        return b.stats().devices().stream().filter(d -> d.name().equals(device)).findFirst().orElseThrow();
    }

    @Test
    void aThousandPipelinedRequestsOnASixteenEntryQueueAreAllAnswered() throws Exception {
        try (Backend b = NbdBackends.start("devices:\n  - {name: d0, size: 16MiB, store: ram, queue-size: 16}\n");
             NbdClient c = NbdClient.attach(b.nbdAddress(), "d0", true)) {
            byte[] block = NbdCommandsTest.random(4096, 9);
            for (int i = 0; i < 1000; i++) {
                boolean write = i % 2 == 0;
                c.send(write ? Nbd.CMD_WRITE : Nbd.CMD_READ, 0, i, (i / 2) * 4096L, 4096, write ? block : null);
            }
            c.flush();
            BitSet answered = new BitSet();
            for (int i = 0; i < 1000; i++) {
                NbdClient.Reply r = c.readReply();
                assertThat(r.error()).as("cookie %d", r.cookie()).isZero();
                assertThat(answered.get((int) r.cookie())).as("cookie %d answered twice", r.cookie()).isFalse();
                answered.set((int) r.cookie());
            }
            assertThat(answered.cardinality()).isEqualTo(1000);
            DeviceStats s = stats(b, "d0");
            // every request went through the device's one queue of 16 descriptors, so ids were reused
            assertThat(s.received()).isEqualTo(1000);
            assertThat(s.completed()).isEqualTo(1000);
            assertThat(s.queues().get(0).received()).isEqualTo(1000);
            assertThat(s.peakInService()).isBetween(1, 16);
            assertThat(s.bytes()).isEqualTo(1000 * 4096L);
        }
    }

    @Test
    void syncModeServesOneRequestOfAnNbdConnectionAtATime() throws Exception {
        try (Backend b = NbdBackends.start("mode: sync\ndisk: {service-time: 200us, parallelism: 4}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
             NbdClient c = NbdClient.attach(b.nbdAddress(), "d0", false)) {
            for (int i = 0; i < 64; i++) {
                c.send(Nbd.CMD_READ, 0, i, i * 4096L % (1 << 20), 4096, null);
            }
            c.flush();
            for (int i = 0; i < 64; i++) {
                assertThat(c.readReply().error()).isZero();
            }
            assertThat(stats(b, "d0").peakInService()).isEqualTo(1);
            assertThat(stats(b, "d0").completed()).isEqualTo(64);
        }
    }

    /**
     * The window opens once both clients have their 64 reads at the backend and closes after 2 000 more
     * decisions; what is asserted is what the scheduler controls: its split of the decisions it took while both
     * devices had requests waiting.
     */
    @Test
    void weightsActOnNbdConnectionsInTheScheduler() throws Exception {
        try (Backend b = NbdBackends.start("mode: aio\nscheduler: {policy: sfq, depth: 8}\n"
                // a disk slower than the clients, so that each keeps its 64 in flight and the weights decide
                + "disk: {service-time: 1ms, parallelism: 2}\n"
                + "devices:\n  - {name: a, size: 64MiB, store: ram, weight: 80}\n"
                + "  - {name: b, size: 64MiB, store: ram, weight: 20}\n")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            AtomicBoolean stop = new AtomicBoolean();
            try {
                List<Future<Long>> runs = new ArrayList<>();
                for (String device : List.of("a", "b")) {
                    runs.add(pool.submit(keepInFlight(b, device, 64, stop)));
                }
                NbdBackends.waitUntil(() -> b.stats().devices().stream().allMatch(d -> d.received() - d.completed() >= 64),
                        10_000, "both clients' reads at the backend");
                BackendStats start = b.stats();
                NbdBackends.waitUntil(() -> dispatched(b.stats()) - dispatched(start) >= 2_000, 30_000, "2 000 decisions");
                BackendStats end = b.stats();
                stop.set(true);
                for (Future<Long> f : runs) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
                }
                long da = end.device("a").dispatchedAllBacklogged() - start.device("a").dispatchedAllBacklogged();
                long db = end.device("b").dispatchedAllBacklogged() - start.device("b").dispatchedAllBacklogged();
                double both = (end.allBackloggedNanos() - start.allBackloggedNanos()) / (double) (end.nanos() - start.nanos());
                long ca = end.device("a").completed() - start.device("a").completed();
                long cb = end.device("b").completed() - start.device("b").completed();
                System.out.printf("nbd weights: both backlogged %.3f, decided %d/%d, completed %d/%d%n", both, da, db, ca, cb);
                assertThat(both).as("time both devices had a request waiting").isGreaterThan(0.5);
                assertThat(da / (double) (da + db)).as("a's share of %d decisions while both were backlogged", da + db)
                        .isCloseTo(0.80, within(0.03));
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }

    private static long dispatched(BackendStats s) {
        return s.devices().stream().mapToLong(DeviceStats::dispatched).sum();
    }

    /** A client that keeps {@code depth} reads in flight on {@code device} until {@code stop}; returns replies read. */
    private static Callable<Long> keepInFlight(Backend b, String device, int depth, AtomicBoolean stop) {
        return () -> {
            try (NbdClient c = NbdClient.attach(b.nbdAddress(), device, false)) {
                long sent = 0;
                long replies = 0;
                for (; sent < depth; sent++) {
                    c.send(Nbd.CMD_READ, 0, sent, (sent % 4096) * 4096, 4096, null);
                }
                c.flush();
                while (replies < sent) {
                    assertThat(c.readReply().error()).isZero();
                    replies++;
                    if (!stop.get()) {
                        c.send(Nbd.CMD_READ, 0, sent, (sent % 4096) * 4096, 4096, null);
                        c.flush();
                        sent++;
                    }
                }
                return replies;
            }
        };
    }

    @Test
    void writesFasterThanTheyAreStoredAreBoundedByMaxConnectionMemory() throws Exception {
        try (Backend b = NbdBackends.start("mode: sync\ndisk: {service-time: 20ms, parallelism: 1}\n"
                + "limits: {max-connection-memory: 1MiB}\ndevices:\n  - {name: d0, size: 64MiB, store: ram}\n")) {
            NbdClient c = NbdClient.attach(b.nbdAddress(), "d0", false);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> sending = writer.submit(() -> {
                byte[] block = new byte[64 * 1024];
                for (int i = 0; i < 1024; i++) {
                    c.send(Nbd.CMD_WRITE, 0, i, i * 65536L, block.length, block);
                }
                c.flush();
                return null;
            });
            try {
                // wait for the limit to be reached, then sample the bound, which must hold at every instant
                long[] peak = {0};
                NbdBackends.waitUntil(() -> (peak[0] = Math.max(peak[0], b.maxConnectionBuffered())) >= 1L << 20, 10_000,
                        "the connection's memory limit reached");
                for (int i = 0; i < 200; i++) {
                    peak[0] = Math.max(peak[0], b.maxConnectionBuffered());
                    Thread.sleep(1);
                }
                // the limit plus about one socket read: the backend stopped reading, so the writer is stuck
                assertThat(peak[0]).as("peak bytes held for the connection").isBetween(1L << 20, 3L << 19);
                assertThat(sending.isDone()).as("all 64 MiB sent").isFalse();
            } finally {
                c.close();
                writer.shutdownNow();
            }
            NbdBackends.waitUntil(() -> b.unanswered() == 0, 10_000, "every write stored or cancelled");
            NbdBackends.waitUntil(() -> b.maxConnectionBuffered() == 0, 10_000, "nothing held");
        }
    }

    @Test
    void theRequestLogRecordsNbdRequests() throws Exception {
        Path log = dir.resolve("requests.jsonl");
        try (Backend b = NbdBackends.start("log: {requests: \"" + log + "\"}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram, weight: 70}\n");
             NbdClient c = NbdClient.attach(b.nbdAddress(), "d0", true)) {
            assertThat(c.write(4096, new byte[8192], Nbd.CMD_FLAG_FUA).error()).isZero();
            assertThat(c.read(4096, 8192).error()).isZero();
            assertThat(c.call(Nbd.CMD_TRIM, 0, 0, 512, null).error()).isZero();
            assertThat(c.read(1 << 20, 512).error()).isEqualTo(Nbd.EINVAL);
        }
        List<RequestRecord> records = new ArrayList<>();
        for (String line : Files.readAllLines(log).stream().skip(1).toList()) { // after the run header
            records.add(ConfigLoader.json().readValue(line, RequestRecord.class));
        }
        assertThat(records).extracting(RequestRecord::type).containsExactlyInAnyOrder("OUT", "FLUSH", "IN", "DISCARD", "IN");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.device()).isEqualTo("d0");
            assertThat(r.weight()).isEqualTo(70);
        });
        assertThat(records).filteredOn(r -> r.type().equals("OUT")).singleElement()
                .satisfies(r -> assertThat(r.sector()).isEqualTo(8));
        assertThat(records).extracting(RequestRecord::status).containsOnlyOnce("IOERR");
    }

    @Test
    void aClientThatVanishesWithRequestsInFlightLeavesNothingUnanswered() throws Exception {
        try (Backend b = NbdBackends.start("mode: aio\ndisk: {service-time: 5ms, parallelism: 1}\n"
                // 8 descriptors: most of the 64 still wait in the adapter, holding write data, when the client goes
                + "devices:\n  - {name: d0, size: 1MiB, store: ram, queue-size: 8}\n  - {name: d1, size: 1MiB, store: ram}\n")) {
            try (NbdClient c = NbdClient.attach(b.nbdAddress(), "d0", false)) {
                byte[] block = new byte[4096];
                for (int i = 0; i < 64; i++) {
                    c.send(i % 2 == 0 ? Nbd.CMD_READ : Nbd.CMD_WRITE, 0, i, i * 4096L, 4096, i % 2 == 0 ? null : block);
                }
                c.flush();
                NbdBackends.waitUntil(() -> stats(b, "d0").received() >= 8, 5000, "requests in flight");
            }
            NbdBackends.waitUntil(() -> b.unanswered() == 0, 10_000, "unanswered() back to 0");
            NbdBackends.waitUntil(() -> b.schedulerDispatched() == 0, 10_000, "the scheduler empty");
            NbdBackends.waitUntil(() -> b.maxConnectionBuffered() == 0, 10_000, "nothing held");
            assertThat(stats(b, "d0").received()).as("requests that reached the device").isLessThan(64);
            try (NbdClient other = NbdClient.attach(b.nbdAddress(), "d1", false)) {
                assertThat(other.read(0, 512).error()).isZero();
            }
        }
    }
}
