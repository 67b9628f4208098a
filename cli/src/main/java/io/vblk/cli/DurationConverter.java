package io.vblk.cli;

import io.vblk.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads 500ms, 2s, 1m... with the config files' rules. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
