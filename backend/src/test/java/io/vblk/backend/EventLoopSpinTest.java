package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backend's event loops poll for a while after their last work (event-loops.spin), then sleep. */
class EventLoopSpinTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @ParameterizedTest(name = "spin {0}")
    @ValueSource(strings = {"0s", "200us", "10ms"})
    void loopsServeOneRequestAtATimeThenIdleWithoutBurningTheCpu(String spin) throws Exception {
        try (Backend b = Backends.start("event-loops: {threads: 1, spin: " + spin + "}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
             TestClient c = TestClient.attach(b, "d0")) {
            // one in flight, the case the spin is for: every request finds the loop either polling or asleep
            for (int i = 0; i < 200; i++) {
                Completion r = c.call(BlkRequest.read(0, i % 16, i % 64, VirtioBlk.SECTOR_SIZE));
                try {
                    assertThat(r.status()).isEqualTo(VirtioBlk.S_OK);
                } finally {
                    r.release();
                }
            }
            // a loop that never stopped polling would use about as much CPU as the wall time below
            long before = loopCpuNanos();
            long wall = System.nanoTime();
            Thread.sleep(400);
            long idleCpu = loopCpuNanos() - before;
            wall = System.nanoTime() - wall;
            assertThat(idleCpu).as("CPU of the idle loop over %d ms", wall / 1_000_000).isLessThan(wall / 4);
        }
    }

    private static long loopCpuNanos() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("vblk-io-loop")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }
}
