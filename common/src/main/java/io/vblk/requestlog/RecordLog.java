package io.vblk.requestlog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON Lines file written through SLF4J: a dedicated logger under {@code vblk.requests}, an async appender
 * (records are turned into text on its worker thread, not on the caller's hot path) in front of a rolling
 * file (PATH, then PATH.1 ... PATH.9 of 1 GiB each). Set up in code rather than in logback.xml so that a
 * file exists only when a run asks for one and each backend in a JVM gets its own. The queue is large and
 * never drops a record: a log that loses lines could not be checked against the run's counts.
 */
public final class RecordLog implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path path;
    private final Logger logger;
    private final ch.qos.logback.classic.Logger logback;
    private final AsyncAppender async;

    private RecordLog(Path path, Logger logger, ch.qos.logback.classic.Logger logback, AsyncAppender async) {
        this.path = path;
        this.logger = logger;
        this.logback = logback;
        this.async = async;
    }

    /** Opens the log at {@code path}, truncating it; {@code kind} names its logger, e.g. "requests". */
    public static RecordLog open(Path path, String kind) throws IOException {
        Path abs = path.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            throw new IOException("request logs need Logback as the SLF4J binding");
        }
        String name = "vblk." + kind + "." + SEQ.incrementAndGet();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setName(name + ".file");
        file.setFile(abs.toString());
        file.setAppend(false); // truncate what an earlier run left; never delete the path (it may be a device)
        file.setImmediateFlush(false);
        file.setBufferSize(FileSize.valueOf("1MB"));
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(abs + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(9);
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf("1GB"));
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(ctx);
        file.setEncoder(encoder);
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        rolling.start();
        trigger.start();
        encoder.start();
        file.start();
        if (!file.isStarted()) {
            throw new IOException("cannot write the log " + abs);
        }

        AsyncAppender async = new AsyncAppender();
        async.setContext(ctx);
        async.setName(name + ".async");
        async.setQueueSize(1 << 18);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setIncludeCallerData(false);
        async.setMaxFlushTime(30_000);
        async.addAppender(file);
        async.start();

        ch.qos.logback.classic.Logger logback = ctx.getLogger(name);
        logback.setAdditive(false);
        logback.setLevel(Level.INFO);
        logback.addAppender(async);
        return new RecordLog(abs, LoggerFactory.getLogger(name), logback, async);
    }

    public Path path() {
        return path;
    }

    /** Queues the record; the message carries no placeholder, so nothing is formatted on this thread. */
    public void write(JsonLine record) {
        logger.info("", record);
    }

    /** Queues the batch as one event; the caller must not add to it afterwards. */
    public void write(RecordBatch batch) {
        logger.info("", batch);
    }

    /** Writes out every queued record, then closes the file. */
    @Override
    public void close() {
        logback.detachAppender(async);
        async.stop();
    }
}
