package io.vblk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vblk.config.ConfigException.Located;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final String DEVICE_KEYS = "create, direct, fault, latency-target, limit, max-discard-sectors, max-discard-seg, max-in-service, max-write-zeroes-sectors, max-write-zeroes-seg, mode, name, queue-size, queues, read-only, reservation, size, store, vhost-user, weight";

    private static final String BACKEND = """
            listen: 127.0.0.1
            port: 0
            mode: aio
            max-in-service: 256
            devices:
              - {name: sda11, size: 1GiB, store: ram, weight: 80}
              - {name: img0, size: 4GiB, store: "file:images/img0.raw", direct: true, read-only: false, queue-size: 256, queues: 1, weight: 20}
            """;

    private static final String LOAD = """
            target: 127.0.0.1:10900
            verify: false
            load:
              - {device: sda11, processes: 128, pattern: randrw, read-percent: 50, block-size: 4KiB}
            """;

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    /** Loads the YAML, expecting a refusal, and returns its problems with the file they name. */
    private List<Located> problems(String yaml, Function<Path, ?> loader) throws IOException {
        Path f = file(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.apply(f));
        assertThat(e).as("the loader accepted:%n%s", yaml).isNotNull();
        return e.problems();
    }

    private List<Located> backendProblems(String yaml) throws IOException {
        return problems(yaml, ConfigLoader::backend);
    }

    private Located at(int line, String path, String message) {
        return new Located(dir.resolve("config.yaml").toString(), line, path, message);
    }

    // ---- valid files ----

    @Test
    void backendExampleParsesWithItsValuesAndDefaults() throws IOException {
        BackendConfig c = ConfigLoader.backend(file(BACKEND));

        assertThat(c.listen()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.mode()).isEqualTo(Mode.AIO);
        assertThat(c.maxInService()).isEqualTo(256);
        assertThat(c.scheduler()).isEqualTo(SchedulerConfig.DEFAULT);
        assertThat(c.disk()).isNull();
        assertThat(c.devices()).containsExactly(
                new DeviceConfig("sda11", ByteSize.of(1L << 30), "ram", false, false, 256, 1, 80, null, null, null, null, null, null, null, null, null, null, true, null),
                new DeviceConfig("img0", ByteSize.of(4L << 30), "file:images/img0.raw", true, false, 256, 1, 20, null, null, null, null, null, null, null, null, null, null, true, null));
        assertThat(c.devices().get(1).filePath()).isEqualTo("images/img0.raw");
        assertThat(c.devices().get(0).capacitySectors()).isEqualTo((1L << 30) / 512);
    }

    @Test
    void omittedBackendKeysTakeTheirDefaults() throws IOException {
        BackendConfig c = ConfigLoader.backend(file("devices: [{name: d, size: 512}]\n"));

        assertThat(c.listen()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(10900);
        assertThat(c.mode()).isEqualTo(Mode.AIO);
        assertThat(c.maxInService()).isNull();
        assertThat(c.devices()).containsExactly(
                new DeviceConfig("d", ByteSize.of(512), "ram", false, false, 256, 1, DeviceConfig.DEFAULT_WEIGHT, null, null, null, null, null, null, null, null, null, null, true, null));
        assertThat(c.inServiceLimit(c.devices().get(0))).isEqualTo(256);
    }

    @Test
    void aFileStoreCreatesAnAbsentImageUnlessTheDeviceSaysCreateFalse() throws IOException {
        BackendConfig c = ConfigLoader.backend(file("""
                devices:
                  - {name: kept, size: 1MiB, store: "file:a.raw", create: false}
                  - {name: made, size: 1MiB, store: "file:b.raw"}
                """));

        assertThat(c.devices()).extracting(DeviceConfig::create).containsExactly(false, true);
    }

    @Test
    void loadExampleParses() throws IOException {
        LoadConfig c = ConfigLoader.load(file(LOAD));

        assertThat(c.target()).isEqualTo("127.0.0.1:10900");
        assertThat(c.verify()).isFalse();
        assertThat(c.load()).containsExactly(new LoadSpec("sda11", 128, Pattern.RANDRW, 50, ByteSize.of(4096), null));
    }

    @Test
    void omittedLoadKeysTakeTheirDefaultsAndReadPercentFollowsThePattern() throws IOException {
        LoadConfig c = ConfigLoader.load(file("""
                target: 127.0.0.1:10900
                load:
                  - {device: a}
                  - {device: b, pattern: randwrite}
                """));

        assertThat(c.verify()).isFalse();
        assertThat(c.load()).containsExactly(
                new LoadSpec("a", 1, Pattern.RANDREAD, 100, ByteSize.of(4096), null),
                new LoadSpec("b", 1, Pattern.RANDWRITE, 0, ByteSize.of(4096), null));
    }

    @Test
    void verifyLedgerKeysParse() throws IOException {
        LoadConfig c = ConfigLoader.load(file("""
                target: 127.0.0.1:10900
                verify: true
                verify-ledger: ledger.json
                flush-every: 100ms
                load:
                  - {device: a, pattern: randwrite}
                """));

        assertThat(c.verifyLedger()).isEqualTo("ledger.json");
        assertThat(c.flushEvery()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.verifyOnly()).isFalse();
        assertThat(ConfigLoader.load(file("verify-ledger: l.json\nverify-only: true\nload:\n  - {device: a}\n")).verify())
                .as("verify-only implies verify").isTrue();
    }

    @Test
    void verifyLedgerKeysNeedVerify() throws IOException {
        String yaml = """
                verify-ledger: ledger.json
                flush-every: 100ms
                load:
                  - {device: a}
                """;

        assertThat(problems(yaml, ConfigLoader::load)).extracting(Located::path)
                .containsExactly("verify-ledger", "flush-every");
    }

    // ---- refusals: each names file, line, field path and what is allowed ----

    @Test
    void unknownKeyListsTheAllowedKeysOnItsLine() throws IOException {
        String typo = BACKEND.replace("store: ram, weight: 80", "store: ram, wieght: 80");

        assertThat(backendProblems(typo)).containsExactly(
                at(6, "devices[0].wieght", "unknown key; allowed here: " + DEVICE_KEYS));
    }

    @Test
    void reservationsAndLimitsBelongToMclockAndAReservationStaysUnderItsLimit() throws IOException {
        String sfq = BACKEND.replace("port: 0", "port: 0\nscheduler: {policy: sfq}")
                .replace("store: ram, weight: 80", "store: ram, weight: 80, reservation: 2000");
        String mclock = sfq.replace("policy: sfq", "policy: mclock").replace("reservation: 2000", "reservation: 2000, limit: 1000");

        assertThat(backendProblems(sfq)).containsExactly(
                at(7, "devices[0].reservation", "applies to policy mclock only, got policy sfq"));
        assertThat(backendProblems(mclock)).containsExactly(
                at(7, "devices[0].reservation", "must not exceed limit (1000 IOPS), got 2000"));
    }

    @Test
    void depthAutoNeedsALatencyTargetAndATargetNeedsDepthAuto() throws IOException {
        String auto = BACKEND.replace("port: 0", "port: 0\nscheduler: {depth: auto}");
        String target = BACKEND.replace("store: ram, weight: 80", "store: ram, weight: 80, latency-target: 1ms");
        String autoTarget = auto.replace("store: ram, weight: 80", "store: ram, weight: 80, latency-target: 10ns");

        assertThat(backendProblems(auto)).containsExactly(
                at(3, "scheduler.depth", "auto needs a latency-target on at least one device"));
        assertThat(backendProblems(target)).containsExactly(
                at(6, "devices[0].latency-target", "applies to scheduler.depth auto only, got depth 64"));
        assertThat(backendProblems(autoTarget)).containsExactly(
                at(7, "devices[0].latency-target", "must be from 1us to 1s, got 10ns"));
        assertThat(ConfigLoader.parse(autoTarget.replace("10ns", "1ms"), BackendConfig.class, "c").scheduler().depth())
                .isEqualTo(Depth.AUTO);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "deep | expected a number from 1 to 65536, or auto, got 'deep'",
            "0    | must be from 1 to 65536 or auto, got 0"})
    void depthIsANumberOrAuto(String depth, String message) throws IOException {
        String yaml = BACKEND.replace("port: 0", "port: 0\nscheduler: {depth: " + depth + "}");
        assertThat(backendProblems(yaml)).containsExactly(at(3, "scheduler.depth", message));
    }

    @Test
    void injectNeedsIdleAndCostLinearTakesDurations() throws IOException {
        String yaml = BACKEND.replace("port: 0", "port: 0\nscheduler: {inject: true, cost: linear, linear: {read-base: 0s}}");

        assertThat(backendProblems(yaml)).containsExactlyInAnyOrder(
                at(3, "scheduler.inject", "needs idle above 0s: it fills the slots idling leaves"),
                at(3, "scheduler.linear.read-base", "must be from 1ns to 1s, got " + Durations.format(java.time.Duration.ZERO)));
    }

    @Test
    void unknownKeyInBlockStyleIsReportedOnItsOwnLine() throws IOException {
        // Jackson places this error at the end of the enclosing mapping (line 9 here), not at the key
        String yaml = """
                listen: 127.0.0.1
                devices:
                  - name: sda11
                    size: 1GiB
                  - name: img0
                    wieght: 20
                    size: 4GiB
                    store: ram
                port: 0
                """;

        assertThat(backendProblems(yaml)).containsExactly(
                at(6, "devices[1].wieght", "unknown key; allowed here: " + DEVICE_KEYS));
    }

    @Test
    void unknownTopLevelKeyIsReportedOnItsLine() throws IOException {
        String yaml = """
                listen: 127.0.0.1
                lissen: 0.0.0.0
                devices:
                  - name: sda11
                    size: 1GiB
                """;

        assertThat(backendProblems(yaml)).containsExactly(
                at(2, "lissen", "unknown key; allowed here: admin, auth, devices, disk, event-loops, limits, listen, log, max-in-service, mode, nbd, port, scheduler, tls"));
    }

    @Test
    void nbdBlockIsOffWhenAbsentAndListensWhereTheBackendDoesByDefault() throws IOException {
        assertThat(ConfigLoader.backend(file(BACKEND)).nbd()).isNull();
        assertThat(ConfigLoader.backend(file(BACKEND)).nbdListen()).isNull();

        BackendConfig c = ConfigLoader.backend(file("nbd: {port: 10810}\n" + BACKEND));
        assertThat(c.nbd()).isEqualTo(new NbdConfig(null, 10810));
        assertThat(c.nbdListen()).isEqualTo("127.0.0.1");

        BackendConfig own = ConfigLoader.backend(file("nbd: {listen: 127.0.0.2, port: 0}\n" + BACKEND));
        assertThat(own.nbdListen()).isEqualTo("127.0.0.2");
        assertThat(own.nbd().port()).isZero();
    }

    @Test
    void withNbdPortCreatesTheBlockOrKeepsItsListen() throws IOException {
        BackendConfig c = ConfigLoader.backend(file(BACKEND));
        assertThat(c.withNbdPort(10810).nbd()).isEqualTo(new NbdConfig(null, 10810));
        BackendConfig own = ConfigLoader.backend(file("nbd: {listen: 127.0.0.2, port: 1}\n" + BACKEND));
        assertThat(own.withNbdPort(0).nbd()).isEqualTo(new NbdConfig("127.0.0.2", 0));
    }

    @Test
    void nbdBlockNeedsAPortInRange() throws IOException {
        assertThat(backendProblems("nbd: {listen: 127.0.0.1}\n" + BACKEND)).containsExactly(
                at(1, "nbd.port", "is required: 0 (ephemeral) to 65535, e.g. 10809 (NBD's registered port)"));
        assertThat(backendProblems("nbd:\n  port: 70000\n" + BACKEND)).containsExactly(
                at(2, "nbd.port", "must be from 0 (ephemeral) to 65535, got 70000"));
        assertThat(backendProblems("nbd: {listen: \" \", port: 0}\n" + BACKEND)).containsExactly(
                at(1, "nbd.listen", "must be an address such as 127.0.0.1"));
    }

    @Test
    void eventLoopsDefaultToTheSidesThreadCountAndA50usSpin() throws IOException {
        EventLoopConfig backend = ConfigLoader.backend(file(BACKEND)).eventLoops();
        EventLoopConfig load = ConfigLoader.load(file(LOAD)).eventLoops();

        assertThat(backend).isEqualTo(load).isEqualTo(EventLoopConfig.DEFAULT);
        assertThat(backend.threadsOr(3)).isEqualTo(3);
        assertThat(backend.spin()).isEqualTo(Duration.ofNanos(50_000));
    }

    @Test
    void eventLoopsBlockSetsThreadsAndSpinOnBothSides() throws IOException {
        EventLoopConfig backend = ConfigLoader.backend(file("event-loops: {threads: 2, spin: 0s}\n" + BACKEND)).eventLoops();
        EventLoopConfig load = ConfigLoader.load(file("event-loops:\n  spin: 200us\n" + LOAD)).eventLoops();

        assertThat(backend.threadsOr(4)).isEqualTo(2);
        assertThat(backend.spin()).isZero();
        assertThat(load.threadsOr(1)).isEqualTo(1);
        assertThat(load.spin()).isEqualTo(Duration.ofNanos(200_000));
    }

    @Test
    void eventLoopsOutOfRangeNameTheirFields() throws IOException {
        assertThat(backendProblems("event-loops:\n  threads: 0\n  spin: 20ms\n" + BACKEND)).containsExactly(
                at(2, "event-loops.threads", "must be from 1 to 256, got 0"),
                at(3, "event-loops.spin", "must be from 0s (sleep at once) to 10ms, got 20ms"));
        assertThat(problems("event-loops: {spin: fast}\n" + LOAD, ConfigLoader::load)).containsExactly(
                at(1, "event-loops.spin", "'fast' is not a duration: expected " + Durations.ALLOWED));
        assertThat(backendProblems("event-loops: {spin: 1us, thread: 2}\n" + BACKEND)).containsExactly(
                at(1, "event-loops.thread", "unknown key; allowed here: spin, threads"));
    }

    @Test
    void unknownNbdKeyListsTheAllowedKeys() throws IOException {
        assertThat(backendProblems("nbd:\n  port: 1\n  tls: true\n" + BACKEND)).containsExactly(
                at(3, "nbd.tls", "unknown key; allowed here: listen, port"));
    }

    @Test
    void decimalSizeUnitIsRefusedWithTheBinaryUnits() throws IOException {
        assertThat(backendProblems(BACKEND.replace("size: 4GiB", "size: 1GB"))).containsExactly(
                at(7, "devices[1].size", "'1GB' has unknown unit 'GB': expected " + ByteSize.ALLOWED));
    }

    @Test
    void aConfigThatIsNoYamlTextIsRefusedPrecisely() throws IOException {
        Path f = dir.resolve("config.yaml");
        Files.write(f, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.backend(f)).getMessage())
                .isEqualTo(f + ": is not UTF-8 text");
        Files.write(f, new byte[] {'p', 'o', 'r', 't', ':', ' ', '1', 0, 0, '\n'});
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.backend(f)).getMessage())
                .isEqualTo(f + ":1: holds the control character 0x00, which no YAML text has");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "port: 0\\ndevices:\\n\\t- {name: d, size: 1MiB}\\n | 3 | a tab character indents this line: YAML indents with spaces only",
            "just some words\\n | 1 | must be a mapping of keys such as 'devices:', not a single value",
            "- port: 0\\n | 1 | must be a mapping of keys such as 'devices:', not a list"})
    void aTabIndentOrATopLevelValueIsNamedAtItsLine(String yaml, int line, String message) throws IOException {
        String text = yaml.replace("\\n", "\n").replace("\\t", "\t");
        assertThat(backendProblems(text)).containsExactly(at(line, "", message));
    }

    @Test
    void aHugeCommentLineIsRefusedAtOnce() throws IOException {
        String yaml = "#" + "x".repeat(10_000_000) + "\n" + BACKEND;
        long t0 = System.nanoTime();
        List<Located> problems = backendProblems(yaml);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
        assertThat(problems).containsExactly(new Located(dir.resolve("config.yaml").toString(), 0, "",
                "holds " + yaml.length() + " bytes, more than the 3145728 allowed"));
        assertThat(backendProblems("#" + "x".repeat(100_000) + "\n" + BACKEND)).containsExactly(
                at(1, "", "line 1 is 100001 characters long, more than the 65536 allowed"));
    }

    @Test
    void aRamDeviceOverTheMaximumSizeIsRefusedNamingTheMaximum() throws IOException {
        assertThat(backendProblems(BACKEND.replace("size: 1GiB", "size: 65536TiB"))).containsExactly(
                at(6, "devices[0].size", "a RAM device holds at most 64TiB, got 65536TiB"));
        assertThat(backendProblems(BACKEND.replace("size: 1GiB", "size: 8388607TiB"))).containsExactly(
                at(6, "devices[0].size", "a RAM device holds at most 64TiB, got 8388607TiB"));
    }

    @Test
    void discardAndWriteZeroesLimitsDefaultToQemusAndAreBounded() throws IOException {
        DeviceConfig d = ConfigLoader.backend(file(BACKEND)).devices().get(0);
        assertThat(List.of(d.maxDiscardSectors(), d.maxDiscardSeg(), d.maxWriteZeroesSectors(), d.maxWriteZeroesSeg()))
                .containsExactly(4194303, 1, 4194303, 1);
        assertThat(backendProblems(BACKEND.replace("weight: 80}", "weight: 80, max-discard-seg: 257, max-write-zeroes-sectors: 0}")))
                .containsExactly(at(6, "devices[0].max-discard-seg", "must be from 1 to 256, got 257"),
                        at(6, "devices[0].max-write-zeroes-sectors", "must be from 1 to 4194303, got 0"));
    }

    @Test
    void valueOnTheLineAfterItsKeyIsReportedAtTheKey() throws IOException {
        String yaml = """
                devices:
                  - name: sda11
                    size:
                      1GB
                """;

        assertThat(backendProblems(yaml)).containsExactly(
                at(3, "devices[0].size", "'1GB' has unknown unit 'GB': expected " + ByteSize.ALLOWED));
    }

    @Test
    void unknownModeListsTheModes() throws IOException {
        assertThat(backendProblems(BACKEND.replace("mode: aio", "mode: asy"))).containsExactly(
                at(3, "mode", "'asy' is not allowed; allowed: sync, aio"));
    }

    @Test
    void unknownPatternListsThePatterns() throws IOException {
        assertThat(problems(LOAD.replace("randrw", "randrom"), ConfigLoader::load)).containsExactly(
                at(4, "load[0].pattern", "'randrom' is not allowed; allowed: randread, randwrite, randrw, read, write"));
    }

    @Test
    void wrongTypeOfValueNamesTheExpectedTypeWithoutJacksonAdvice() throws IOException {
        assertThat(backendProblems(BACKEND.replace("port: 0", "port: abc"))).containsExactly(
                at(2, "port", "wrong type of value: Cannot coerce String value (\"abc\") to `Integer` value"));
    }

    @Test
    void aVhostUserSocketIsRequiredFitsSunPathAndBelongsToOneDevice() throws IOException {
        String yaml = """
                devices:
                  - name: a
                    size: 1GiB
                    vhost-user: {socket: /tmp/a.sock}
                  - name: b
                    size: 1GiB
                    vhost-user: {socket: /tmp/a.sock}
                  - name: c
                    size: 1GiB
                    vhost-user: {}
                  - name: d
                    size: 1GiB
                    vhost-user: {socket: /tmp/%s}
                """.formatted("x".repeat(103));

        assertThat(ConfigLoader.backend(file(yaml.lines().limit(4).collect(java.util.stream.Collectors.joining("\n"))))
                .devices().get(0).vhostUser().socket()).isEqualTo("/tmp/a.sock");
        assertThat(backendProblems(yaml)).containsExactly(
                at(7, "devices[1].vhost-user.socket", "socket '/tmp/a.sock' is already devices[0]'s"),
                at(10, "devices[2].vhost-user.socket", "is required: the path of a unix socket, e.g. /tmp/vblk-sda11.sock"),
                at(13, "devices[3].vhost-user.socket", "a unix socket path holds at most 107 bytes, got 108"));
    }

    @Test
    void duplicateDeviceNameIsReportedAtTheDuplicate() throws IOException {
        String yaml = """
                devices:
                  - name: sda11
                    size: 1GiB
                  - name: img0
                    size: 1GiB
                  - name: sda11
                    size: 2GiB
                """;

        assertThat(backendProblems(yaml)).containsExactly(
                at(6, "devices[2].name", "duplicate device name 'sda11' (first at devices[0])"));
    }

    @Test
    void repeatedKeyIsRefusedInsteadOfOverridingTheFirst() throws IOException {
        String yaml = """
                devices:
                  - name: sda11
                    size: 1GiB
                    weight: 80
                    weight: 20
                """;

        assertThat(backendProblems(yaml)).containsExactly(at(5, "devices[0]", "Duplicate field 'weight'"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void weightBelowOneIsRefused(int weight) throws IOException {
        assertThat(backendProblems(BACKEND.replace("weight: 20", "weight: " + weight))).containsExactly(
                at(7, "devices[1].weight", "must be a whole number from 1 to 1000000, got " + weight));
    }

    @Test
    void sizeThatIsNotAWholeNumberOfSectorsIsRefused() throws IOException {
        assertThat(backendProblems(BACKEND.replace("size: 1GiB", "size: 1000"))).containsExactly(
                at(6, "devices[0].size", "must be a positive multiple of 512 bytes, got 1000"));
    }

    @Test
    void queueSizeThatIsNotAPowerOfTwoIsRefused() throws IOException {
        assertThat(backendProblems(BACKEND.replace("queue-size: 256", "queue-size: 100"))).containsExactly(
                at(7, "devices[1].queue-size", "must be a power of two from 1 to 32768, got 100"));
    }

    @Test
    void emptyDeviceListIsRefusedAtItsKey() throws IOException {
        assertThat(backendProblems("listen: 127.0.0.1\nport: 0\ndevices: []\n")).containsExactly(
                at(3, "devices", "must list at least one device"));
    }

    @Test
    void emptyListEntryIsReportedByIndex() throws IOException {
        String yaml = """
                devices:
                  - name: sda11
                    size: 1GiB
                  -
                """;

        assertThat(backendProblems(yaml)).containsExactly(at(4, "devices[1]", "is empty"));
    }

    @Test
    void everyProblemIsReportedEachOnItsOwnLine() throws IOException {
        String yaml = """
                listen: 127.0.0.1
                devices:
                  - name: sda11
                    size: 1000
                  - name: sda11
                    size: 1GiB
                    queue-size: 100
                """;

        assertThat(backendProblems(yaml)).containsExactly(
                at(4, "devices[0].size", "must be a positive multiple of 512 bytes, got 1000"),
                at(7, "devices[1].queue-size", "must be a power of two from 1 to 32768, got 100"),
                at(5, "devices[1].name", "duplicate device name 'sda11' (first at devices[0])"));
    }

    @Test
    void loadProblemsAreLocatedToo() throws IOException {
        String yaml = """
                target: 127.0.0.1:10900
                load:
                  - device: sda11
                    read-percent: 150
                    block-size: 1000
                """;

        assertThat(problems(yaml, ConfigLoader::load)).containsExactly(
                at(4, "load[0].read-percent", "must be from 0 to 100, got 150"),
                at(5, "load[0].block-size", "must be a multiple of 512 bytes up to 4MiB, got 1000"));
    }

    @Test
    void missingFileSaysSo() {
        Path missing = dir.resolve("nope.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.backend(missing));

        assertThat(e.problems()).containsExactly(new Located(missing.toString(), 0, "", "no such file"));
        assertThat(e).hasMessage(missing + ": no such file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# nothing but a comment\n", "~\n"})
    void fileWithoutContentIsEmpty(String yaml) throws IOException {
        assertThat(backendProblems(yaml)).containsExactly(at(0, "", "is empty"));
    }

    @Test
    void syntaxErrorIsPlacedWhereTheParserStopped() throws IOException {
        String yaml = """
                listen: 127.0.0.1
                devices:
                  - name: sda11
                    size: 1GiB
                   weight: 3
                """;

        assertThat(backendProblems(yaml)).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(5));
    }

    @Test
    void messageHasOneFileLinePathLinePerProblem() throws IOException {
        Path f = file(BACKEND.replace("weight: 80", "weight: 0").replace("queue-size: 256", "queue-size: 3"));

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.backend(f));

        assertThat(e).hasMessage(f + ":6: devices[0].weight: must be a whole number from 1 to 1000000, got 0\n"
                + f + ":7: devices[1].queue-size: must be a power of two from 1 to 32768, got 3");
    }

    @Test
    void scenarioBackendBlockIsLocatedInTheWholeFile() {
        String scenario = """
                name: demo
                backend:
                  devices:
                    - name: sda11
                      size: 1GiB
                      wieght: 5
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.backend(
                ConfigLoader.tree(scenario, "demo.yaml").get("backend"), "demo.yaml", scenario));

        assertThat(e.problems()).containsExactly(
                new Located("demo.yaml", 6, "backend.devices[0].wieght", "unknown key; allowed here: " + DEVICE_KEYS));
    }
}
