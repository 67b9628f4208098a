package io.vblk.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A scenario's {@code changes:} list: checked in order against the backend, and each mistake named on its line. */
class ScenarioChangesTest {
    /** The loader test's scenario (lines 1-11), then a changes list on line 12: its first entry is on 13. */
    private static final String BASE = ScenarioLoaderTest.BASE + "changes:\n";

    @Test
    void changesAreCheckedInOrderAndTurnTheAdminEndpointOn() {
        Scenario s = ScenarioLoader.parse(BASE + """
                  - {at: 2s, set: {device: a, weight: 50}}
                  - {at: 3s, set: {device: b, mode: aio}}
                  - {at: 4s, set: {policy: sfq, idle: 2ms}}
                """, "f.yaml");

        Scenario.Variant v = s.variants().get(0);
        assertThat(v.changes()).extracting(Scenario.Change::text)
                .containsExactly("a weight=50 at 2s", "b mode=aio at 3s", "scheduler policy=sfq idle=2ms at 4s");
        BackendConfig process = ConfigLoader.parse(v.backendYaml(), BackendConfig.class, "process");
        assertThat(process.admin().port()).isZero();
        assertThat(process.admin().listen()).isEqualTo("127.0.0.1");
        assertThat(v.backend()).isEqualTo(process.withPort(v.backend().port()));
    }

    @Test
    void aScenarioWithoutChangesStartsNoAdminEndpoint() {
        Scenario.Variant v = ScenarioLoader.parse(ScenarioLoaderTest.BASE, "f.yaml").variants().get(0);

        assertThat(v.changes()).isEmpty();
        assertThat(ConfigLoader.parse(v.backendYaml(), BackendConfig.class, "process").admin()).isNull();
    }

    @ParameterizedTest
    @MethodSource("badChanges")
    void aBadChangeIsNamedOnItsLine(String changes, int line, String path, String message) {
        var p = ScenarioLoaderTest.onlyProblem(BASE + changes);

        assertThat(p.message()).isEqualTo(message);
        assertThat(p.path()).isEqualTo(path);
        assertThat(p.line()).isEqualTo(line);
    }

    static Stream<Arguments> badChanges() {
        return Stream.of(
                Arguments.of("  - {at: 2s, set: {device: z, weight: 5}}\n", 13, "changes[0].set.device",
                        "'z' is not a device of the backend (a, b)"),
                Arguments.of("  - {at: 2s, set: {device: a, weight: 0}}\n", 13, "changes[0].set",
                        "devices[0].weight: must be a whole number from 1 to 1000000, got 0"),
                Arguments.of("  - {at: 2s, set: {device: a, size: 2GiB}}\n", 13, "changes[0].set",
                        "devices[0].size: unknown key; allowed here: limit, max-in-service, mode, reservation, weight"),
                Arguments.of("  - {at: 3s, set: {device: a, weight: 5}}\n  - {at: 2s, set: {device: a, weight: 6}}\n",
                        14, "changes[1].at", "must not come before the change above it (3s), got 2s"),
                Arguments.of("  - {at: 6s, set: {device: a, weight: 5}}\n", 13, "changes[0].at",
                        "must come before the run's end (warmup 1s + duration 5s), got 6s"),
                Arguments.of("  - {at: 2s}\n", 13, "changes[0]", "must be {at: TIME, set: {device: NAME, KEY: VALUE, "
                        + "...}} (a set without a device changes the scheduler)"),
                // valid alone, not after the change above it: a reservation needs mclock, and sfq runs by then
                Arguments.of("  - {at: 2s, set: {policy: sfq}}\n  - {at: 3s, set: {device: b, reservation: 100}}\n",
                        14, "changes[1].set", "devices[1].reservation: applies to policy mclock only, got policy sfq"));
    }

    @Test
    void aDurationTooShortForTheChangesIsRefused() {
        Scenario s = ScenarioLoader.load("live-weights");

        assertThatThrownBy(() -> s.with(Duration.ofSeconds(2), Duration.ofSeconds(1), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would come after the run's end (3s, warmup included)");
        assertThat(s.with(Duration.ofSeconds(8), null, null, null).variants()).hasSize(2);
    }
}
