package io.vblk.cli;

import io.vblk.config.Durations;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** {@code --interval}: a duration as {@link DurationConverter} reads it, or {@code off} (also 0) for no series. */
final class IntervalConverter implements CommandLine.ITypeConverter<Duration> {
    static final String HELP = "count each run's I/Os per device in intervals of TIME (runs[].intervals in the JSON); "
            + "off or 0 for none (default: ${DEFAULT-VALUE})";

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("0")) {
            return Duration.ZERO;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage() + ", or off");
        }
    }
}
