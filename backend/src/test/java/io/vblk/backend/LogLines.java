package io.vblk.backend;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The lines one class logs while a test runs, as the shipped logback.xml lets them through (its levels
 * apply: an INFO line under a WARN root is not seen, as an operator would not see it).
 */
public final class LogLines implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    public LogLines(Class<?> of) {
        logger = (Logger) LoggerFactory.getLogger(of);
        lines.start();
        logger.addAppender(lines);
    }

    /** The formatted messages logged at WARN or above so far. */
    public synchronized List<String> warnings() {
        return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
    }
}
