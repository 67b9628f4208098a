package io.vblk.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigException;
import io.vblk.config.ConfigLoader;
import io.vblk.config.DeviceConfig;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Mode;
import io.vblk.config.Pattern;
import io.vblk.config.SchedulerConfig.Policy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioLoaderTest {
    /** A small valid scenario; its line numbers are used below (backend.mode is line 5, load[1] line 11). */
    static final String BASE = """
            name: t
            duration: 5s
            warmup: 1s
            backend:
              mode: sync
              devices:
                - {name: a, size: 1GiB, weight: 80}
                - {name: b, size: 1GiB, weight: 20}
            load:
              - {device: a, processes: 4}
              - {device: b, processes: 4}
            """;

    /** The one problem parsing {@code yaml} reports (it must report exactly one). */
    static ConfigException.Located onlyProblem(String yaml) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ScenarioLoader.parse(yaml, "f.yaml"));
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    private static Scenario.Variant variant(Scenario s, String label) {
        return s.variants().stream().filter(v -> v.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no variant " + label + " in " + s.variants()));
    }

    @Test
    void theLoadSideGetsInTheWayTheBackendBlockSays() {
        String yaml = BASE.replace("  mode: sync\n",
                "  mode: sync\n  auth: {token-file: tok}\n  tls: {certificate: cert.pem, private-key: key.pem}\n");

        LoadConfig load = ScenarioLoader.parse(yaml, "f.yaml").variants().get(0).load();

        assertThat(load.authTokenFile()).isEqualTo("tok");
        assertThat(load.tls().trust()).isEqualTo("cert.pem");
    }

    @Test
    void withoutAuthOrTlsTheLoadSideUsesNeither() {
        LoadConfig load = ScenarioLoader.parse(BASE, "f.yaml").variants().get(0).load();

        assertThat(load.authTokenFile()).isNull();
        assertThat(load.tls()).isNull();
    }

    // ---- the built-in scenarios

    static Stream<String> builtIns() {
        return ScenarioLoader.BUILT_IN.stream();
    }

    @Test
    void theBuiltInsAreTheSixScenarioFiles() {
        assertThat(ScenarioLoader.BUILT_IN).containsExactly("seed", "vm-vs-host", "depth-sweep", "three-way",
                "depth-vs-vm", "io-throttle-2008", "seed-guest", "vm-vs-host-guest", "idle-sweep", "reservation",
                "cost-model", "latency-target", "cures", "live-weights");
    }

    @Test
    void theIoThrottleScenarioCrossesFourWeightPairsWithOneToThreeInFlightBesideThe2008Figures() {
        Scenario s = ScenarioLoader.load("io-throttle-2008");

        assertThat(s.variants()).extracting(Scenario.Variant::label).startsWith("80:20 max-in-service=1",
                "80:20 max-in-service=2", "80:20 max-in-service=3", "50:50 max-in-service=1").hasSize(12);
        Scenario.Variant v = s.variants().get(10);
        assertThat(v.backend().devices()).extracting(DeviceConfig::weight).containsExactly(10, 90);
        assertThat(v.backend().maxInService()).isEqualTo(2);
        assertThat(v.backend().scheduler().ioThrottle()).isEqualTo(1);
        assertThat(s.reference().columns()).containsExactly("2008 run 1", "2008 run 2");
        assertThat(s.reference().rows()).containsKeys("80:20", "50:50", "20:80", "10:90");
        assertThat(s.reference().rows().get("20:80")).containsExactly("39.8 / 60.2", "21.4 / 78.6");
    }

    @Test
    void aReferenceRowMustHaveOneTextPerColumn() {
        String yaml = ScenarioLoader.builtIn("io-throttle-2008").replace("[21.1 / 78.9, 16.4 / 83.6]", "[21.1 / 78.9]");

        assertThatThrownBy(() -> ScenarioLoader.parse(yaml, "x.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("reference.rows.10:90").hasMessageContaining("must list 2 texts, one per column");
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void everyBuiltInLoadsAndEveryVariantIsValid(String name) {
        Scenario s = ScenarioLoader.load(name);

        assertThat(s.name()).isEqualTo(name);
        assertThat(s.description()).isNotBlank();
        assertThat(s.duration()).isPositive();
        assertThat(s.repeat()).isBetween(1, 100);
        assertThat(s.variants()).isNotEmpty();
        assertThat(s.variants().stream().map(Scenario.Variant::label).distinct()).hasSameSizeAs(s.variants());
        for (Scenario.Variant v : s.variants()) {
            assertThat(v.backend().validate().list()).as(v.label()).isEmpty();
            // a scenario whose only load is a real guest has no simulated entry to list
            assertThat(v.load().validate().list()).as(v.label())
                    .allMatch(p -> p.path().equals("load") && !v.guests().isEmpty());
            List<String> devices = v.backend().devices().stream().map(DeviceConfig::name).toList();
            assertThat(v.guests()).as(v.label()).allMatch(g -> devices.containsAll(g.devices()));
            assertThat(v.load().load()).as(v.label()).extracting(LoadSpec::device).allMatch(devices::contains);
        }
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void everyVariantsBackendYamlReadsBackAsItsConfigOnAnEphemeralPort(String name) {
        for (Scenario.Variant v : ScenarioLoader.load(name).variants()) {
            BackendConfig parsed = ConfigLoader.parse(v.backendYaml(), BackendConfig.class, "x");

            assertThat(parsed.port()).as(v.label()).isZero();
            assertThat(parsed.validate().list()).as(v.label()).isEmpty();
            assertThat(parsed).as(v.label()).isEqualTo(v.backend().withPort(0));
        }
    }

    @Test
    void seedHasItsFourVariantsWithTheirModesPoliciesAndThrottles() {
        Scenario s = ScenarioLoader.load("seed");

        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.repeat()).isEqualTo(3);
        assertThat(s.variants()).extracting(Scenario.Variant::label)
                .containsExactly("sync", "aio", "sync io-throttle 1", "aio sfq");
        assertThat(s.variants()).extracting(v -> v.backend().mode())
                .containsExactly(Mode.SYNC, Mode.AIO, Mode.SYNC, Mode.AIO);
        assertThat(s.variants()).extracting(v -> v.backend().scheduler().policy())
                .containsExactly(Policy.IOBAND, Policy.IOBAND, Policy.IOBAND, Policy.SFQ);
        assertThat(s.variants()).extracting(v -> v.backend().scheduler().ioThrottle()).containsExactly(4, 4, 1, 4);
        assertThat(s.variants()).extracting(v -> v.backend().scheduler().depth().max()).containsOnly(32);
        assertThat(variant(s, "sync io-throttle 1").keys())
                .containsExactly(entry("backend.mode", "sync"), entry("backend.scheduler.io-throttle", "1"));
        assertThat(variant(s, "aio sfq").keys())
                .containsExactly(entry("backend.mode", "aio"), entry("backend.scheduler.policy", "sfq"));

        Scenario.Variant sync = variant(s, "sync");
        assertThat(sync.backend().devices()).extracting(DeviceConfig::name, DeviceConfig::weight)
                .containsExactly(tuple("sda11", 80), tuple("sda12", 20));
        assertThat(sync.backend().inServiceLimit(sync.backend().devices().get(0))).isEqualTo(1);
        assertThat(variant(s, "aio").backend().inServiceLimit(sync.backend().devices().get(0))).isEqualTo(256);
        assertThat(sync.load().load()).hasSize(2).allSatisfy(l -> {
            assertThat(l.processes()).isEqualTo(128);
            assertThat(l.pattern()).isEqualTo(Pattern.RANDRW);
            assertThat(l.readPercent()).isEqualTo(50);
            assertThat(l.blockSize().bytes()).isEqualTo(4096);
        });
        assertThat(sync.load().target()).isNull();
    }

    @Test
    void seedsBackendYamlCarriesEachVariantsOverrides() {
        Scenario s = ScenarioLoader.load("seed");

        BackendConfig throttled = ConfigLoader.parse(variant(s, "sync io-throttle 1").backendYaml(), BackendConfig.class, "x");
        BackendConfig sfq = ConfigLoader.parse(variant(s, "aio sfq").backendYaml(), BackendConfig.class, "x");

        assertThat(throttled.mode()).isEqualTo(Mode.SYNC);
        assertThat(throttled.scheduler().ioThrottle()).isEqualTo(1);
        assertThat(sfq.mode()).isEqualTo(Mode.AIO);
        assertThat(sfq.scheduler().policy()).isEqualTo(Policy.SFQ);
        assertThat(sfq.scheduler().ioThrottle()).isEqualTo(4);
    }

    @Test
    void depthSweepCrossesThreePoliciesWithEightDepths() {
        Scenario s = ScenarioLoader.load("depth-sweep");
        List<String> policies = List.of("fifo", "ioband", "sfq");
        List<Integer> depths = List.of(1, 2, 4, 8, 16, 32, 64, 128);

        assertThat(s.variants()).hasSize(24);
        List<String> expected = new ArrayList<>();
        for (String p : policies) {
            for (int d : depths) {
                expected.add("policy=" + p + " max-in-service=" + d);
            }
        }
        assertThat(s.variants()).extracting(Scenario.Variant::label).containsExactlyElementsOf(expected);
        for (int i = 0; i < 24; i++) {
            Scenario.Variant v = s.variants().get(i);
            String policy = policies.get(i / 8);
            int depth = depths.get(i % 8);
            assertThat(v.keys()).as(v.label()).containsExactly(entry("backend.scheduler.policy", policy),
                    entry("backend.max-in-service", String.valueOf(depth)));
            assertThat(v.backend().scheduler().policy().label()).isEqualTo(policy);
            assertThat(v.backend().maxInService()).isEqualTo(depth);
            assertThat(v.backend().mode()).isEqualTo(Mode.AIO);
            assertThat(v.backend().inServiceLimit(v.backend().devices().get(0))).isEqualTo(depth);
            assertThat(ConfigLoader.parse(v.backendYaml(), BackendConfig.class, "x").maxInService()).isEqualTo(depth);
        }
        assertThat(variant(s, "policy=sfq max-in-service=32").keys())
                .containsExactly(entry("backend.scheduler.policy", "sfq"), entry("backend.max-in-service", "32"));
    }

    @Test
    void vmVsHostKeepsThePerDeviceModes() {
        Scenario.Variant v = ScenarioLoader.load("vm-vs-host").variants().get(0);

        assertThat(v.backend().modeOf(v.backend().devices().get(0))).isEqualTo(Mode.SYNC);
        assertThat(v.backend().modeOf(v.backend().devices().get(1))).isEqualTo(Mode.AIO);
        assertThat(ConfigLoader.parse(v.backendYaml(), BackendConfig.class, "x").devices().get(0).mode()).isEqualTo(Mode.SYNC);
    }

    // ---- overriding

    @Test
    void overridesOfOneVariantDoNotLeakIntoTheNext() {
        Scenario s = ScenarioLoader.parse(BASE + """
                variants:
                  - label: changed
                    backend.mode: aio
                    backend.scheduler.policy: sfq
                    backend.devices[0].weight: 50
                    load[1].processes: 9
                  - label: plain
                  - label: other
                    backend.devices[1].weight: 70
                """, "f.yaml");

        Scenario.Variant changed = variant(s, "changed");
        Scenario.Variant plain = variant(s, "plain");
        Scenario.Variant other = variant(s, "other");
        assertThat(changed.backend().mode()).isEqualTo(Mode.AIO);
        assertThat(changed.backend().scheduler().policy()).isEqualTo(Policy.SFQ);
        assertThat(changed.backend().devices()).extracting(DeviceConfig::weight).containsExactly(50, 20);
        assertThat(changed.load().load()).extracting(LoadSpec::processes).containsExactly(4, 9);

        assertThat(plain.keys()).isEmpty();
        assertThat(plain.backend().mode()).isEqualTo(Mode.SYNC);
        assertThat(plain.backend().scheduler().policy()).isEqualTo(Policy.FIFO);
        assertThat(plain.backend().devices()).extracting(DeviceConfig::weight).containsExactly(80, 20);
        assertThat(plain.load().load()).extracting(LoadSpec::processes).containsExactly(4, 4);
        assertThat(ConfigLoader.parse(plain.backendYaml(), BackendConfig.class, "x")).isEqualTo(plain.backend().withPort(0));

        assertThat(other.backend().devices()).extracting(DeviceConfig::weight).containsExactly(80, 70);
        assertThat(other.backend().mode()).isEqualTo(Mode.SYNC);
    }

    @Test
    void aScenarioWithoutVariantsIsOneVariantNamedAfterIt() {
        Scenario s = ScenarioLoader.parse(BASE, "f.yaml");

        assertThat(s.variants()).singleElement().satisfies(v -> {
            assertThat(v.label()).isEqualTo("t");
            assertThat(v.keys()).isEmpty();
        });
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.repeat()).isEqualTo(1);
    }

    @Test
    void matrixCrossesEachVariantWithEveryAxisValue() {
        Scenario s = ScenarioLoader.parse(BASE + """
                variants:
                  - {label: sync, backend.mode: sync}
                  - {label: aio, backend.mode: aio}
                matrix:
                  backend.scheduler.depth: [2, 16]
                """, "f.yaml");

        assertThat(s.variants()).extracting(Scenario.Variant::label)
                .containsExactly("sync depth=2", "sync depth=16", "aio depth=2", "aio depth=16");
        assertThat(s.variants()).extracting(v -> v.backend().scheduler().depth().max()).containsExactly(2, 16, 2, 16);
        assertThat(s.variants()).extracting(v -> v.backend().mode()).containsExactly(Mode.SYNC, Mode.SYNC, Mode.AIO, Mode.AIO);
        assertThat(s.variants().get(3).keys())
                .containsExactly(entry("backend.mode", "aio"), entry("backend.scheduler.depth", "16"));
    }

    // ---- mistakes, each with its file, line and message

    @Test
    void anUnknownTopLevelKeyIsReportedAtItsLine() {
        ConfigException.Located p = onlyProblem(BASE.replace("warmup: 1s\n", "warmup: 1s\ncolour: red\n"));

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.path()).isEqualTo("colour");
        assertThat(p.message()).isEqualTo(
                "unknown key; allowed here: backend, changes, description, duration, load, matrix, name, reference, repeat, variants, "
                        + "warmup");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mode", "scheduler.policy", "load.processes", "load[x].processes", "load[-1].processes",
            "backend[0].mode", "loads[0].processes"})
    void aVariantKeyOutsideBackendOrALoadEntryIsRefusedAtItsLine(String key) {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: fine
                    backend.mode: aio
                  - label: bad
                    %s: 3
                """.formatted(key));

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).isEqualTo(16);
        assertThat(p.path()).isEqualTo("variants[1]." + key);
        assertThat(p.message()).isEqualTo("variant 'bad': key '" + key
                + "' does not name a place in the scenario (start with backend. or load[N].)");
    }

    @Test
    void aMatrixAxisOutsideTheScenarioIsRefusedAtTheAxis() {
        ConfigException.Located p = onlyProblem(BASE + """
                matrix:
                  mode: [sync, aio]
                """);

        assertThat(p.line()).isEqualTo(13);
        assertThat(p.path()).isEqualTo("matrix.mode");
        assertThat(p.message()).startsWith("variant 'mode=sync': key 'mode' does not name a place");
    }

    @Test
    void anIndexPastTheLoadListIsRefusedAtItsLine() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: third
                    load[2].processes: 8
                """);

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).isEqualTo(14);
        assertThat(p.path()).isEqualTo("variants[0].load[2].processes");
        assertThat(p.message()).isEqualTo("variant 'third': 'load[2].processes' indexes past the list");
    }

    @Test
    void aLoadEntryOnADeviceTheBackendLacksListsTheDevices() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: elsewhere
                    load[1].device: c
                """);

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).as("the variant's line, where c was written").isEqualTo(14);
        assertThat(p.path()).isEqualTo("variants[0].load[1].device");
        assertThat(p.message()).isEqualTo("'c' is not a device of the backend (a, b) (variant 'elsewhere')");
    }

    @Test
    void aLoadEntryOnAnUnknownDeviceWithoutVariantsNamesNoVariant() {
        ConfigException.Located p = onlyProblem(BASE.replace("{device: b,", "{device: z,"));

        assertThat(p.line()).isEqualTo(11);
        assertThat(p.message()).isEqualTo("'z' is not a device of the backend (a, b)");
    }

    @Test
    void aTypoInTheBaseLoadBlockIsNotBlamedOnAVariant() {
        ConfigException.Located p = onlyProblem(BASE.replace("{device: b, processes: 4}", "{device: b, procs: 4}") + """
                variants:
                  - label: aio
                    backend.mode: aio
                """);

        assertThat(p.line()).as(p.path()).isEqualTo(11);
        assertThat(p.path() + ": " + p.message()).startsWith("load[1].").doesNotContain("variant");
    }

    @Test
    void aTypoInAVariantKeyIsReportedAtTheVariantsLine() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: fine
                    backend.mode: aio
                  - label: typo
                    backend.shceduler.policy: wfq
                """);

        assertThat(p).extracting(ConfigException.Located::line, ConfigException.Located::path)
                .containsExactly(16, "variants[1].backend.shceduler.policy");
        assertThat(p.message()).endsWith("(variant 'typo')");
    }

    @Test
    void aTypoInAMatrixValueIsReportedAtTheAxis() {
        ConfigException.Located p = onlyProblem(BASE + """
                matrix:
                  backend.mode: [sync, asy]
                """);

        assertThat(p).extracting(ConfigException.Located::line, ConfigException.Located::path,
                ConfigException.Located::message).containsExactly(13, "matrix.backend.mode",
                "'asy' is not allowed; allowed: sync, aio (variant 'mode=asy')");
    }

    @Test
    void aLoadProblemInAVariantIsReportedWithTheVariant() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: none
                    load[0].processes: 0
                """);

        assertThat(p.line()).isEqualTo(14);
        assertThat(p.path()).isEqualTo("variants[0].load[0].processes");
        assertThat(p.message()).isEqualTo("must be from 1 to 65536, got 0 (variant 'none')");
    }

    @Test
    void aBadDurationIsReportedAtItsLine() {
        ConfigException.Located p = onlyProblem(BASE.replace("duration: 5s", "duration: 10 seconds"));

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.path()).isEqualTo("duration");
        assertThat(p.message()).startsWith("'10 seconds' has unknown unit 'seconds': expected a number with a unit");
    }

    @Test
    void aZeroDurationIsRefusedBeforeAnythingRuns() {
        ConfigException.Located p = onlyProblem(BASE.replace("duration: 5s", "duration: 0s"));

        assertThat(p.line()).isEqualTo(2);
        assertThat(p.message()).isEqualTo("must be positive, got 0s");
    }

    @Test
    void aBadWarmupIsReportedAtItsLine() {
        ConfigException.Located p = onlyProblem(BASE.replace("warmup: 1s", "warmup: soon"));

        assertThat(p.line()).isEqualTo(3);
        assertThat(p.path()).isEqualTo("warmup");
        assertThat(p.message()).startsWith("'soon' is not a duration");
    }

    @Test
    void repeatZeroIsRefusedAtItsLine() {
        ConfigException.Located p = onlyProblem(BASE.replace("warmup: 1s\n", "warmup: 1s\nrepeat: 0\n"));

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.path()).isEqualTo("repeat");
        assertThat(p.message()).isEqualTo("must be from 1 to 100, got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"three", "2.5", "101", "-1"})
    void aRepeatThatIsNotAWholeNumberInRangeIsRefused(String value) {
        ConfigException.Located p = onlyProblem(BASE.replace("warmup: 1s\n", "warmup: 1s\nrepeat: " + value + "\n"));

        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).startsWith("must be from 1 to 100, got ").contains(value);
    }

    @Test
    void aBackendErrorInsideAVariantNamesTheVariant() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: fine
                    backend.mode: aio
                  - label: typo
                    backend.mode: asy
                """);

        assertThat(p.file()).isEqualTo("f.yaml");
        assertThat(p.line()).as("the variant's line, not the base block's mode").isEqualTo(16);
        assertThat(p.path()).isEqualTo("variants[1].backend.mode");
        assertThat(p.message()).isEqualTo("'asy' is not allowed; allowed: sync, aio (variant 'typo')");
    }

    @Test
    void aBackendValidationErrorInsideAVariantNamesTheVariant() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - label: weightless
                    backend.devices[1].weight: 0
                """);

        assertThat(p.line()).isEqualTo(14);
        assertThat(p.path()).isEqualTo("variants[0].backend.devices[1].weight");
        assertThat(p.message()).isEqualTo("must be a whole number from 1 to 1000000, got 0 (variant 'weightless')");
    }

    @Test
    void twoVariantsWithOneLabelAreRefused() {
        ConfigException.Located p = onlyProblem(BASE + """
                variants:
                  - {label: same, backend.mode: aio}
                  - {label: same, backend.mode: sync}
                """);

        assertThat(p.line()).isEqualTo(12);
        assertThat(p.message()).isEqualTo("two variants are labelled 'same'; labels must differ");
    }

    @Test
    void aMissingBackendOrLoadIsRequired() {
        ConfigException.Located noBackend = onlyProblem("name: t\nload:\n  - {device: a}\n");
        ConfigException.Located noLoad = onlyProblem(BASE.substring(0, BASE.indexOf("load:")));

        assertThat(noBackend.path()).isEqualTo("backend");
        assertThat(noBackend.message()).startsWith("is required");
        assertThat(noLoad.path()).isEqualTo("load");
        assertThat(noLoad.message()).startsWith("is required");
    }

    @Test
    void anUnknownScenarioNameListsTheBuiltIns() {
        assertThatThrownBy(() -> ScenarioLoader.load("no-such-scenario"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.file()).isEqualTo("no-such-scenario");
                        assertThat(p.line()).isZero();
                        assertThat(p.message()).isEqualTo(
                                "no such file, and not a built-in scenario (seed, vm-vs-host, depth-sweep, three-way, depth-vs-vm, "
                                        + "io-throttle-2008, seed-guest, vm-vs-host-guest, idle-sweep, reservation, cost-model, latency-target, cures, live-weights)");
                    });
                });
    }

    @Test
    void aFileIsReadAndItsErrorsNameThePath(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, BASE);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, BASE.replace("duration: 5s", "duration: 10 seconds"));

        assertThat(ScenarioLoader.load(good.toString()).name()).isEqualTo("t");
        assertThatThrownBy(() -> ScenarioLoader.load(bad.toString())).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).extracting(ConfigException.Located::file).containsExactly(bad.toString()));
    }

    // ---- Scenario.with

    @Test
    void withKeepsTheNamedVariantsInScenarioOrderAndOverridesTimes() {
        Scenario seed = ScenarioLoader.load("seed");

        Scenario s = seed.with(Duration.ofSeconds(3), Duration.ofMillis(500), 1, List.of("aio sfq", "sync"));

        assertThat(s.variants()).extracting(Scenario.Variant::label).containsExactly("sync", "aio sfq");
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.repeat()).isEqualTo(1);
        assertThat(s.name()).isEqualTo("seed");
        assertThat(s.description()).isEqualTo(seed.description());
        assertThat(s.variants().get(1)).isSameAs(variant(seed, "aio sfq"));
    }

    @Test
    void withNothingGivenKeepsEverything() {
        Scenario seed = ScenarioLoader.load("seed");

        assertThat(seed.with(null, null, null, null)).isEqualTo(seed);
        assertThat(seed.with(null, null, null, List.of())).isEqualTo(seed);
        assertThat(seed.with(null, null, 2, null).duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(seed.with(null, null, 2, null).repeat()).isEqualTo(2);
    }

    @Test
    void withUnknownLabelsKeepsNoVariant() {
        assertThat(ScenarioLoader.load("seed").with(null, null, null, List.of("async")).variants()).isEmpty();
    }

    @Test
    void withRefusesARepeatOrDurationThatCannotRun() {
        Scenario seed = ScenarioLoader.load("seed");

        assertThatThrownBy(() -> seed.with(null, null, 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("repeat must be from 1 to 100, got 0");
        assertThatThrownBy(() -> seed.with(Duration.ZERO, null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must be positive, got 0s");
        assertThatThrownBy(() -> seed.with(null, Duration.ofSeconds(-1), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(seed.with(null, Duration.ZERO, null, null).warmup()).isZero();
    }

    @Test
    void theVariantListCannotBeChangedFromOutside() {
        List<Scenario.Variant> list = new ArrayList<>(ScenarioLoader.load("seed").variants());
        Scenario s = new Scenario("x", "", Duration.ofSeconds(1), Duration.ZERO, 1, list, null);
        list.clear();

        assertThat(s.variants()).hasSize(4);
        assertThatThrownBy(() -> s.variants().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.variants().get(0).keys().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
    }
}
