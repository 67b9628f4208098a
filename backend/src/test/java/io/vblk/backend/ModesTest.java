package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.DeviceStats;
import org.junit.jupiter.api.Test;

/**
 * The one difference between the modes, read off the backend's own counters: sync never has more than one
 * request of a queue in service; aio has many. 128 requests are outstanding at once, as from 128 processes.
 * Requests in service are counted where they enter and leave the request path (per virtqueue) and by the
 * scheduler (per device), not by the code that enforces the limit.
 */
class ModesTest {
    private static final String DEVICES = "disk: {service-time: 1ms, parallelism: 8}\n"
            + "devices:\n  - {name: d0, size: 64MiB, store: ram}\n";

    @Test
    void syncServesOneRequestAtATime() throws Exception {
        DeviceStats s = run("mode: sync\n");
        assertThat(s.completed()).isEqualTo(128);
        assertThat(s.peakInService()).isEqualTo(1);
        assertThat(s.queues().get(0).peakInService()).isEqualTo(1);
    }

    @Test
    void twoSyncConnectionsOnOneDeviceHaveOneInServiceEachAndTwoOnTheDevice() throws Exception {
        try (Backend b = Backends.start("mode: sync\n" + DEVICES); TestClient c1 = TestClient.attach(b, "d0");
             TestClient c2 = TestClient.attach(b, "d0")) {
            for (int i = 0; i < 64; i++) {
                c1.send(BlkRequest.read(0, i, i * 8L, 4096));
                c2.send(BlkRequest.read(0, i, i * 8L, 4096));
            }
            for (TestClient c : new TestClient[] {c1, c2}) {
                for (int i = 0; i < 64; i++) {
                    Completion done = (Completion) c.next();
                    assertThat(done.status()).isEqualTo(VirtioBlk.S_OK);
                    done.release();
                }
            }
            DeviceStats s = b.stats().device("d0");
            assertThat(s.completed()).isEqualTo(128);
            assertThat(s.peakInService()).isEqualTo(2);
            assertThat(s.queues().get(0).peakInService()).isEqualTo(1);
        }
    }

    /** Sync mode keeps no thread per queue: 4 connections of 256 queues each cost the backend no thread. */
    @Test
    void syncQueuesCostNoThreads() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Backend b = Backends.start("mode: sync\ndevices:\n  - {name: d0, size: 64MiB, store: ram, queues: 256}\n")) {
            java.util.List<TestClient> clients = new java.util.ArrayList<>();
            try {
                // the backend's event loops start with their first connections; count from there
                for (int i = 0; i < 4; i++) {
                    clients.add(TestClient.attach(b, "d0", 1, "", null));
                }
                int before = threads.getThreadCount();
                for (int i = 0; i < 4; i++) {
                    TestClient c = TestClient.attach(b, "d0", 256, "", null);
                    clients.add(c);
                    // answered on the last queue: the backend has set up all 256
                    Completion done = c.call(BlkRequest.read(255, 0, 0, 4096));
                    assertThat(done.status()).isEqualTo(VirtioBlk.S_OK);
                    done.release();
                }
                // the JIT may start a compiler thread or two meanwhile; a thread per queue would be 1 024
                assertThat(threads.getThreadCount() - before).as("threads started for 1 024 sync queues").isLessThan(16);
            } finally {
                clients.forEach(TestClient::close);
            }
        }
    }

    @Test
    void aioHasManyInService() throws Exception {
        DeviceStats s = run("mode: aio\n");
        assertThat(s.completed()).isEqualTo(128);
        assertThat(s.peakInService()).isGreaterThan(1);
    }

    @Test
    void aioRespectsMaxInflight() throws Exception {
        DeviceStats s = run("mode: aio\nmax-in-service: 4\n");
        assertThat(s.completed()).isEqualTo(128);
        assertThat(s.peakInService()).isBetween(2, 4);
    }

    private static DeviceStats run(String mode) throws Exception {
        try (Backend b = Backends.start(mode + DEVICES); TestClient c = TestClient.attach(b, "d0")) {
            for (int i = 0; i < 128; i++) {
                c.send(BlkRequest.read(0, i, i * 8L, 4096));
            }
            for (int i = 0; i < 128; i++) {
                Completion done = (Completion) c.next();
                assertThat(done.status()).isEqualTo(VirtioBlk.S_OK);
                done.release();
            }
            return b.stats().device("d0");
        }
    }
}
