package io.vblk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "512, 512",
        "0, 0",
        "1B, 1",
        "4KiB, 4096",
        "4K, 4096",
        "4 kib, 4096",
        "64MiB, 67108864",
        "1GiB, 1073741824",
        "2TiB, 2199023255552",
        "8388607TiB, 9223370937343148032",
    })
    void parsesBytesWithABinaryUnit(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1GB", "4kB", "1.5GiB", "1PiB", "4 KiBs"})
    void unknownUnitIsRefusedWithTheAllowedUnits(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text))
                .withMessageContaining("unknown unit").withMessageEndingWith("expected " + ByteSize.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "KiB", "-1", "+4KiB"})
    void textWithoutANumberIsNotASize(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text))
                .withMessage("'" + text + "' is not a size: expected " + ByteSize.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8388608TiB", "9007199254740992KiB", "99999999999999999999"})
    void sizeBeyondALongIsTooLarge(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text))
                .withMessage("'" + text + "' is too large a size");
    }

    @Test
    void negativeSizeCannotBeConstructed() {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.of(-1));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "512, 512", "1536, 1536", "4096, 4KiB", "1073741824, 1GiB", "3221225472, 3GiB", "1099511627776, 1TiB",
        "1125899906842624, 1024TiB"})
    void printsInTheLargestExactUnitAndParsesBack(long bytes, String text) {
        assertThat(ByteSize.of(bytes)).hasToString(text);
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }
}
