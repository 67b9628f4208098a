package io.vblk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "250ns, 250",
        "500us, 500000",
        "500µs, 500000",
        "2ms, 2000000",
        "1.5ms, 1500000",
        "10s, 10000000000",
        "10 s, 10000000000",
        "2MS, 2000000",
        "1m, 60000000000",
        "1min, 60000000000",
        "1h, 3600000000000",
        "0s, 0",
    })
    void parsesANumberWithAUnit(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "ms", "-1s", ".s", "1.2.3s"})
    void textWithoutNumberAndUnitIsNotADuration(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' is not a duration: expected " + Durations.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "5sec", "1d", "1e3s"})
    void unknownUnitIsRefusedWithTheAllowedUnits(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("unknown unit").withMessageEndingWith("expected " + Durations.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3000000h", "99999999999999999999s"})
    void durationBeyondALongOfNanosIsTooLong(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' is too long a duration");
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "250, 250ns", "500000, 500us", "2000000, 2ms", "1500000, 1500us", "1500000000, 1500ms", "10000000000, 10s",
        "90000000000, 90s", "60000000000, 1m", "7200000000000, 2h", "5400000000000, 90m"})
    void formatsInTheShortestExactFormAndParsesBack(long nanos, String text) {
        assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }
}
