package io.vblk.requestlog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * Writes the {@link JsonLine} argument of each event as one line, or each record of a {@link RecordBatch} as
 * one line. Runs on the async appender's single worker, so the buffer is reused without locking.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private final JsonLineWriter line = new JsonLineWriter();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (args == null || args.length == 0) {
            return new byte[0];
        }
        line.reset();
        if (args[0] instanceof RecordBatch batch) {
            for (JsonLine record : batch.records()) {
                record.writeJson(line.begin());
                line.end();
            }
        } else if (args[0] instanceof JsonLine record) {
            record.writeJson(line.begin());
            line.end();
        }
        return line.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
