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
        assertThat(s.peakInflight()).isEqualTo(1);
        assertThat(s.queues().get(0).peakInflight()).isEqualTo(1);
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
            assertThat(s.peakInflight()).isEqualTo(2);
            assertThat(s.queues().get(0).peakInflight()).isEqualTo(1);
        }
    }

    @Test
    void aioHasManyInService() throws Exception {
        DeviceStats s = run("mode: aio\n");
        assertThat(s.completed()).isEqualTo(128);
        assertThat(s.peakInflight()).isGreaterThan(1);
    }

    @Test
    void aioRespectsMaxInflight() throws Exception {
        DeviceStats s = run("mode: aio\nmax-inflight: 4\n");
        assertThat(s.completed()).isEqualTo(128);
        assertThat(s.peakInflight()).isBetween(2, 4);
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
