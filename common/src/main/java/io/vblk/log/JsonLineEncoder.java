package io.vblk.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Writes the {@link JsonLine} argument of each event as one line. Runs on the async appender's single
 * worker, so the builder is reused without locking.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private final StringBuilder line = new StringBuilder(512);

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (args == null || args.length == 0 || !(args[0] instanceof JsonLine record)) {
            return new byte[0];
        }
        line.setLength(0);
        record.appendJson(line);
        line.append('\n');
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
