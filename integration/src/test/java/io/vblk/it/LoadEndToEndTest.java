package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ByteSize;
import io.vblk.config.ConfigLoader;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Pattern;
import io.vblk.load.LoadRunner;
import io.vblk.result.DeviceResult;
import io.vblk.result.LoadResult;
import io.vblk.report.ResultTable;
import io.vblk.result.DeviceStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load generator against a real backend in this JVM: verified random read/write on two RAM devices. */
class LoadEndToEndTest {
    private static final int PROCESSES = 16;
    /** The emulated disk serves one request at a time for this long, so the backend completes at most 10k/s. */
    private static final long SERVICE_NANOS = 100_000;
    private static final Duration WARMUP = Duration.ofMillis(500);
    private static final Duration DURATION = Duration.ofSeconds(2);

    private static final String BACKEND = String.join("\n",
            "listen: 127.0.0.1",
            "port: 0",
            "disk:",
            "  service-time: 100us",
            "  parallelism: 1",
            "devices:",
            "  - name: vm1",
            "    size: 64MiB",
            "    weight: 100",
            "  - name: vm2",
            "    size: 64MiB",
            "    weight: 300",
            "");

    private static LoadSpec randrw(String device) {
        return new LoadSpec(device, PROCESSES, Pattern.RANDRW, 50, ByteSize.of(4096), null);
    }

    @Test
    void verifiedRandomReadWriteOnTwoDevicesAgreesWithTheBackendsCounters() throws Exception {
        BackendConfig cfg = ConfigLoader.parse(BACKEND, BackendConfig.class, "backend.yaml");
        assertThat(cfg.validate().list()).isEmpty();
        try (Backend backend = Backend.start(cfg)) {
            LoadConfig load = new LoadConfig("127.0.0.1:" + backend.address().getPort(), true, null, null,
                    List.of(randrw("vm1"), randrw("vm2")), null, null, null, null);
            // a short first run loads and compiles the client, so the measured run's setup takes little time
            new LoadRunner(load, LoadRunner.Options.of(Duration.ZERO, Duration.ofMillis(200))).run();

            long before = System.nanoTime();
            LoadResult r = new LoadRunner(load, LoadRunner.Options.of(WARMUP, DURATION)).run();
            System.out.print(ResultTable.format(r));

            assertThat(r.problems()).isEmpty();
            assertThat(r.lost()).isZero();
            assertThat(r.verify().mismatches()).isZero();
            assertThat(r.verify().checked()).isPositive();
            // the window is what the two boundary timers actually measured, each may fire a little late
            assertThat(r.durationSeconds()).isCloseTo(DURATION.toMillis() / 1e3, org.assertj.core.data.Offset.offset(0.25));
            for (String name : List.of("vm1", "vm2")) {
                DeviceResult d = r.device(name);
                DeviceStats start = r.backendStart().device(name);
                DeviceStats end = r.backendEnd().device(name);
                assertThat(d.ios()).as(name + " I/Os").isPositive();
                assertThat(d.errors()).as(name + " errors").isZero();
                assertThat(end.errors() - start.errors()).as(name + " backend errors").isZero();
                assertThat(d.weight()).isEqualTo(start.weight());
                long backendCompleted = end.completed() - start.completed();
                System.out.printf("%s: frontend %d, backend %d, slack %d%n", name, d.ios(), backendCompleted, slack(r, before));
                assertThat(d.ios()).as(name + ": frontend count vs backend completed delta")
                        .isCloseTo(backendCompleted, org.assertj.core.data.Offset.offset(slack(r, before)));
            }
            assertThat(r.device("vm1").weight()).isEqualTo(100);
            assertThat(r.device("vm2").weight()).isEqualTo(300);
        }
    }

    @Test
    void aRunLongerThanTheBackendsIdleTimeoutCompletes() throws Exception {
        // the stats connection sits quiet between the window's two queries for longer than idle-timeout
        BackendConfig cfg = ConfigLoader.parse("port: 0\nlimits: {idle-timeout: 500ms}\n"
                + "devices:\n  - {name: vm1, size: 64MiB}\n", BackendConfig.class, "backend.yaml");
        try (Backend backend = Backend.start(cfg)) {
            LoadConfig load = new LoadConfig("127.0.0.1:" + backend.address().getPort(), false, null, null,
                    List.of(randrw("vm1")), null, null, null, null);
            LoadResult r = new LoadRunner(load, LoadRunner.Options.of(Duration.ofMillis(700), Duration.ofMillis(1200))).run();
            assertThat(r.problems()).isEmpty();
            assertThat(r.device("vm1").ios()).isPositive();
            assertThat(r.backendEnd().device("vm1").completed()).isGreaterThan(r.backendStart().device("vm1").completed());
        }
    }

    /**
     * How far one device's count may differ from the backend's. The frontend counts completions arriving
     * inside its window [ws, we); the backend counts those it completed between its two snapshots, taken at
     * bs >= ws and be >= we, when each stats query arrives. At each end the two disagree only on requests
     * completed by the backend but not yet received (at most the device's processes, one request each) and on
     * those the backend completed while the query travelled (at most gap / service time + 1, the disk being
     * serial), plus one for a completion read while the boundary was being published. Backend and frontend
     * share this JVM's nanoTime, and ws >= before + warmup, we = ws + duration, which bounds both gaps.
     */
    private static long slack(LoadResult r, long before) {
        long wsEarliest = before + WARMUP.toNanos();
        long startGap = r.backendStart().nanos() - wsEarliest;
        long endGap = r.backendEnd().nanos() - (wsEarliest + Math.round(r.durationSeconds() * 1e9));
        assertThat(startGap).isNotNegative();
        assertThat(endGap).isNotNegative();
        long perEnd = PROCESSES + 1 + 1;
        return 2 * perEnd + (startGap + endGap) / SERVICE_NANOS;
    }
}
