package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vblk.config.ByteSize;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Pattern;
import io.vblk.result.LoadResult;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner against {@link FakeBackend}: short runs that must end by themselves, each within a few seconds. */
class LoadRunnerTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private final FakeBackend backend = new FakeBackend()
            .device("vm1", 1 << 20, FakeBackend.QUEUE_SIZE)
            .device("vm2", 1 << 20, 2)
            .start();

    @AfterEach
    void stop() {
        backend.close();
    }

    private static LoadSpec spec(String device, int processes, Pattern pattern) {
        return new LoadSpec(device, processes, pattern, null, ByteSize.of(4096), null);
    }

    private LoadResult run(boolean verify, LoadSpec... specs) {
        LoadConfig config = new LoadConfig(backend.target(), verify, null, null, List.of(specs), null, null, null, null);
        return new LoadRunner(config, LoadRunner.Options.of(Duration.ofMillis(100), SHORT)).run();
    }

    @Test
    void aVerifiedRunOnTwoDevicesSucceedsAndChecksReads() {
        LoadResult r = run(true, spec("vm1", 8, Pattern.RANDRW), spec("vm2", 4, Pattern.RANDRW));

        assertThat(r.problems()).isEmpty();
        assertThat(r.lost()).isZero();
        assertThat(r.device("vm1").ios()).isPositive();
        assertThat(r.device("vm2").ios()).isPositive();
        assertThat(r.device("vm1").weight()).isEqualTo(100);
        assertThat(r.total().ios()).isEqualTo(r.device("vm1").ios() + r.device("vm2").ios());
        assertThat(r.device("vm1").share() + r.device("vm2").share()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.verify().enabled()).isTrue();
        // every read is checked or skipped (its block not yet written by this run); how many are checked depends
        // on how far a loaded machine got in 0.3 s
        assertThat(r.verify().checked() + r.verify().skipped()).isPositive();
        assertThat(r.verify().mismatches()).isZero();
        // the window is timed from the instant it opened, however late the loop ran that
        assertThat(r.durationSeconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(r.backendEnd().nanos()).isGreaterThan(r.backendStart().nanos());
        assertThat(r.total().latencyUs().p50()).isPositive();
    }

    /**
     * The series is counted by the instant that decides whether an I/O is measured, so it covers the window
     * without a gap and its counts add up to the device's I/Os exactly; two entries of one device count as one.
     */
    @Test
    void theIntervalSeriesCoversTheWindowAndSumsToEachDevicesIos() {
        LoadConfig config = new LoadConfig(backend.target(), false, null, null, List.of(spec("vm1", 4, Pattern.RANDREAD),
                spec("vm2", 2, Pattern.RANDREAD), spec("vm1", 2, Pattern.RANDWRITE)), null, null, null, null);
        LoadResult r = new LoadRunner(config, LoadRunner.Options.of(Duration.ofMillis(50), SHORT)
                .withInterval(Duration.ofMillis(100))).run();

        assertThat(r.problems()).isEmpty();
        List<io.vblk.result.Interval> series = r.intervals();
        // 300 ms in 100 ms intervals, however late the close: the last one takes what came after the planned end
        assertThat(series).hasSize(3);
        assertThat(series.get(0).startS()).isZero();
        for (int k = 1; k < series.size(); k++) {
            assertThat(series.get(k).startS()).as("interval %d starts where %d ends", k, k - 1)
                    .isEqualTo(series.get(k - 1).endS());
        }
        assertThat(series.get(series.size() - 1).endS()).isCloseTo(r.durationSeconds(), org.assertj.core.data.Offset.offset(1e-9));
        for (String device : List.of("vm1", "vm2")) {
            long measured = r.devices().stream().filter(d -> d.name().equals(device)).mapToLong(d -> d.ios()).sum();
            assertThat(series.stream().mapToLong(i -> i.device(device).ios()).sum()).as(device).isEqualTo(measured);
        }
        assertThat(series).allSatisfy(i -> assertThat(i.devices()).extracting(io.vblk.result.Interval.Device::name)
                .containsExactly("vm1", "vm2"));
    }

    @Test
    void anIntervalThatSplitsTheWindowTooFinelyIsRefusedNamingTheLeastAllowed() {
        assertThatThrownBy(() -> LoadRunner.Options.of(Duration.ZERO, Duration.ofSeconds(10)).withInterval(Duration.ofNanos(500_000)))
                .isInstanceOf(LoadException.class)
                .hasMessage("--interval 500us splits the 10s window into 20000 intervals, at most 10000 are kept: "
                        + "give at least 1ms, or off");
        assertThatThrownBy(() -> LoadRunner.Options.of(Duration.ZERO, SHORT).withInterval(Duration.ofMillis(-1)))
                .hasMessage("--interval must not be negative, got -1ms");
    }

    @Test
    void moreProcessesThanDescriptorsWaitForOne() {
        LoadResult r = run(false, spec("vm2", 8, Pattern.RANDREAD));

        // the fake refuses a descriptor already in flight, which would have failed the run
        assertThat(r.problems()).isEmpty();
        assertThat(r.device("vm2").ios()).isPositive();
        assertThat(backend.device("vm2").peakInFlight.get()).isEqualTo(2);
    }

    /**
     * Without verify every write carries the one template buffer (i * 31 + 7 per byte): every block of the
     * device holds it, and the sequential processes between them cover the whole device.
     */
    @Test
    void sequentialWritesWithoutVerifyShareOneBuffer() {
        LoadResult r = run(false, spec("vm1", 4, Pattern.WRITE));

        assertThat(r.problems()).isEmpty();
        assertThat(r.device("vm1").mbps()).isPositive();
        FakeBackend.Device d = backend.device("vm1");
        int blocks = d.data.length / 4096;
        // 256 blocks, and the run writes thousands: every one is reached
        assertThat(r.device("vm1").ios()).isGreaterThan(blocks);
        for (int block = 0; block < blocks; block++) {
            assertThat(d.written.get(block * 8)).as("block %d written", block).isTrue();
        }
        byte[] template = new byte[4096];
        for (int i = 0; i < template.length; i++) {
            template[i] = (byte) (i * 31 + 7);
        }
        for (int block = 0; block < blocks; block++) {
            assertThat(java.util.Arrays.copyOfRange(d.data, block * 4096, (block + 1) * 4096)).as("block %d", block)
                    .isEqualTo(template);
        }
    }

    @Test
    void aCorruptedReadFailsTheRunAndIsDescribed() {
        backend.corruptWrittenReads = true;

        LoadResult r = run(true, spec("vm1", 8, Pattern.RANDRW));

        assertThat(r.succeeded()).isFalse();
        assertThat(r.verify().mismatches()).isPositive();
        assertThat(r.verify().first()).isNotEmpty().allSatisfy(m -> assertThat(m)
                .startsWith("vm1 block ").contains("body differs from byte 100"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith("verify: "));
    }

    @Test
    void aRequestThatNeverCompletesIsReportedLost() {
        backend.swallowAt = 5;
        LoadConfig config = new LoadConfig(backend.target(), false, null, null, List.of(spec("vm1", 4, Pattern.RANDREAD)), null, null, null, null);
        LoadRunner.Options options = new LoadRunner.Options(Duration.ZERO, SHORT, Duration.ofMillis(200), null, 1, null);

        LoadResult r = new LoadRunner(config, options).run();

        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.problems()).containsExactly("device 'vm1': 1 requests still outstanding 200ms after the end (lost)");
    }

    @Test
    void anErrorFrameFailsTheRunWithItsMessage() {
        backend.errorAt = 5;

        assertThatThrownBy(() -> run(false, spec("vm1", 4, Pattern.RANDREAD)))
                .isInstanceOf(LoadException.class)
                .hasMessage("device 'vm1': backend error QUEUE_OVERFLOW: fake overflow at request 5")
                .extracting(e -> ((LoadException) e).exitCode()).isEqualTo(LoadException.RUN_FAILED);
    }

    @Test
    void anUnknownDeviceIsAUsageError() {
        assertThatThrownBy(() -> run(false, spec("vm9", 1, Pattern.RANDREAD)))
                .isInstanceOf(LoadException.class)
                .hasMessage("device 'vm9': backend refused the attach: UNKNOWN_DEVICE: no device 'vm9'")
                .extracting(e -> ((LoadException) e).exitCode()).isEqualTo(LoadException.USAGE);
    }

    @Test
    void aRefusalAfterAnotherDeviceAttachedReleasesEverything() {
        // vm1's write template exists by the time vm9 is refused; paranoid leak detection would report it
        assertThatThrownBy(() -> run(false, spec("vm1", 2, Pattern.RANDWRITE), spec("vm9", 1, Pattern.RANDREAD)))
                .isInstanceOf(LoadException.class)
                .hasMessageStartingWith("device 'vm9': backend refused the attach");
    }

    @Test
    void aBlockLargerThanTheDeviceIsAUsageError() {
        LoadSpec huge = new LoadSpec("vm1", 1, Pattern.RANDREAD, null, ByteSize.of(4L << 20), null);
        assertThatThrownBy(() -> run(false, huge))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("exceeds the device's largest transfer")
                .extracting(e -> ((LoadException) e).exitCode()).isEqualTo(LoadException.USAGE);
    }

    @Test
    void verifyRefusesADeviceListedTwice() {
        assertThatThrownBy(() -> run(true, spec("vm1", 1, Pattern.RANDRW), spec("vm1", 1, Pattern.RANDRW)))
                .isInstanceOf(LoadException.class)
                .hasMessage("load[1]: verify needs each device listed once; 'vm1' is also load[0]");
    }

    @Test
    void aClosedPortIsACleanConnectionError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LoadConfig config = new LoadConfig("127.0.0.1:" + port, false, null, null, List.of(spec("vm1", 1, Pattern.RANDREAD)), null, null, null, null);

        assertThatThrownBy(() -> new LoadRunner(config, LoadRunner.Options.of(Duration.ZERO, SHORT)).run())
                .isInstanceOf(LoadException.class)
                .hasMessage("cannot connect to 127.0.0.1:" + port + ": connection refused (is the backend running?)");
    }

    @Test
    void aBackendThatResetsTheConnectionIsAPlainSentence() {
        // a backend killed while connections are open resets them
        backend.resetAt = 50;
        LoadException e = catchThrowableOfType(LoadException.class, () -> run(false, spec("vm1", 4, Pattern.RANDREAD)));
        // a read sees the reset; a write racing it may see the broken pipe first
        assertThat(e.getMessage()).matches("device 'vm1': the backend (reset|closed) the connection \\(was it stopped\\?\\)");
        assertThat(e.exitCode()).isEqualTo(LoadException.RUN_FAILED);
    }

    @Test
    void theLiveLineNamesEveryDevice() {
        List<String> lines = new ArrayList<>();
        LoadConfig config = new LoadConfig(backend.target(), false, null, null,
                List.of(spec("vm1", 2, Pattern.RANDREAD), spec("vm2", 2, Pattern.RANDREAD)), null, null, null, null);
        LoadRunner.Options options = LoadRunner.Options.of(Duration.ofMillis(500), Duration.ofMillis(700))
                .withLive(lines::add);

        new LoadRunner(config, options).run();

        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                " *\\d+\\.\\ds (warmup|      ) vm1 [\\d,]+ IOPS \\d+\\.\\d% \\| vm2 [\\d,]+ IOPS \\d+\\.\\d%"));
    }

    @Test
    void theLedgerRecordsFlushedWritesAndVerifyOnlyReadsThemBackOnce(@TempDir Path dir) {
        Path ledger = dir.resolve("ledger.json");
        LoadConfig write = new LoadConfig(backend.target(), true, null, null, List.of(spec("vm1", 4, Pattern.RANDWRITE)),
                ledger.toString(), Duration.ofMillis(20), false, null);
        assertThat(new LoadRunner(write, LoadRunner.Options.of(Duration.ZERO, SHORT)).run().succeeded()).isTrue();
        LedgerFile.Device vm1 = LedgerFile.read(ledger).get("vm1");
        assertThat(vm1.flushes()).isPositive().isEqualTo(backend.flushes.get());
        assertThat(vm1.blocksFlushed()).isPositive();

        LoadConfig check = write.withLedger(ledger.toString(), null, true);
        LoadResult ok = new LoadRunner(check, LoadRunner.Options.of(Duration.ZERO, SHORT)).run();
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.verify().checked()).isEqualTo(vm1.blocksFlushed());
        assertThat(ok.verify().checkedBytes()).isEqualTo(vm1.blocksFlushed() * 4096);
        assertThat(ok.verify().mismatches()).isZero();
        assertThat(LedgerFile.read(ledger)).as("verify-only leaves the ledger alone").isEqualTo(Map.of("vm1", vm1));

        backend.corruptWrittenReads = true;
        LoadResult bad = new LoadRunner(check, LoadRunner.Options.of(Duration.ZERO, SHORT)).run();
        assertThat(bad.succeeded()).isFalse();
        assertThat(bad.verify().mismatches()).isEqualTo(vm1.blocksFlushed());
        assertThat(bad.verify().first().get(0)).contains("body differs");
    }

    @Test
    void theLedgerFileRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ledger.json");
        Map<String, LedgerFile.Device> devices = Map.of("vm1", new LedgerFile.Device(7,
                List.of(new VerifyLedger.Block(3, 5, 4, 2), new VerifyLedger.Block(1L << 33, 1, 0, 0))));
        LedgerFile.write(file, devices);
        assertThat(LedgerFile.read(file)).isEqualTo(devices);
        assertThat(LedgerFile.read(dir.resolve("absent.json"))).isEmpty();
    }

    @Test
    void verifyOnlyWithoutALedgerIsAUsageError() {
        LoadConfig config = new LoadConfig(backend.target(), true, null, null, List.of(spec("vm1", 1, Pattern.RANDREAD)),
                null, null, true, null);
        assertThatThrownBy(() -> new LoadRunner(config, LoadRunner.Options.of(Duration.ZERO, SHORT)).run())
                .isInstanceOf(LoadException.class).hasMessageContaining("verify-ledger");
    }
}
