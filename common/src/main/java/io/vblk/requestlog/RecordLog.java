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
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON Lines file written through SLF4J: a dedicated logger under {@code vblk.requests}, an async appender
 * (records are turned into text on its worker thread, not on the caller's hot path) in front of a rolling
 * file (PATH, then PATH.1 ... PATH.9 of 1 GiB each). Set up in code rather than in logback.xml so that a
 * file exists only when a run asks for one and each backend in a JVM gets its own. The queue is large and
 * never drops a record: a log that loses lines could not be checked against the run's counts.
 * A timer flushes the file every {@link #FLUSH_EVERY}, so a record reaches it that soon even when the run goes
 * idle: a reader while the run goes on must not take records still in a buffer for lost requests.
 * The file begins with the run's {@link RunHeader}; an existing log is refused unless appending, so that two
 * runs never mix unannounced.
 */
public final class RecordLog implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final Duration FLUSH_EVERY = Duration.ofMillis(200);
    // one daemon thread for every log of the JVM: a flush is a syscall, not work
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vblk-log-flush");
        t.setDaemon(true);
        return t;
    });

    private final Path path;
    private final Logger logger;
    private final ch.qos.logback.classic.Logger logback;
    private final AsyncAppender async;
    private final ScheduledFuture<?> flushing;

    private RecordLog(Path path, Logger logger, ch.qos.logback.classic.Logger logback, AsyncAppender async,
                      FlushingFileAppender file) {
        this.path = path;
        this.logger = logger;
        this.logback = logback;
        this.async = async;
        long every = FLUSH_EVERY.toNanos();
        this.flushing = FLUSHER.scheduleWithFixedDelay(file::flushNow, every, every, TimeUnit.NANOSECONDS);
    }

    /** The file appender, flushed from the timer between two of its writes (it holds its stream lock for each). */
    private static final class FlushingFileAppender extends RollingFileAppender<ILoggingEvent> {
        void flushNow() {
            streamWriteLock.lock();
            try {
                OutputStream out = getOutputStream();
                if (out != null && isStarted()) {
                    out.flush();
                }
            } catch (IOException e) {
                // the appender reports a stream that fails on its next write; the timer just tries again
            } finally {
                streamWriteLock.unlock();
            }
        }
    }

    /**
     * Opens the log at {@code path} and writes {@code header} first; {@code kind} names its logger, e.g.
     * "requests". A regular file that already holds something is refused unless {@code append}, which adds
     * this run after what is there. A missing folder is an error too, not created: a typo must not make one.
     */
    public static RecordLog open(Path path, String kind, RunHeader header, boolean append) throws IOException {
        Path abs = path.toAbsolutePath();
        if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
            throw new NoSuchFileException(abs.toString(), null, Files.exists(abs.getParent())
                    ? abs.getParent() + " is not a directory" : "no such directory " + abs.getParent());
        }
        if (!append && Files.isRegularFile(abs) && Files.size(abs) > 0) {
            throw new FileAlreadyExistsException(abs.toString(), null, "already holds a request log; remove it, "
                    + "or give --append to add this run after it");
        }
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            throw new AccessDeniedException(abs.toString(), null, "not writable" + readOnly(abs));
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            throw new IOException("request logs need Logback as the SLF4J binding");
        }
        String name = "vblk." + kind + "." + SEQ.incrementAndGet();

        FlushingFileAppender file = new FlushingFileAppender();
        file.setContext(ctx);
        file.setName(name + ".file");
        file.setFile(abs.toString());
        // appending either way: a file with content was refused above unless asked to append, and a device or
        // FIFO (say /dev/stdout) must be neither truncated nor deleted
        file.setAppend(true);
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
            throw new AccessDeniedException(abs.toString(), null, "cannot be opened for writing" + readOnly(abs));
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
        RecordLog log = new RecordLog(abs, LoggerFactory.getLogger(name), logback, async, file);
        log.write(header);
        return log;
    }

    // the commonest reason a root-owned process still cannot write
    private static String readOnly(Path p) {
        try {
            return Files.getFileStore(p.getParent() == null ? p : p.getParent()).isReadOnly() ? " (read-only file system)" : "";
        } catch (IOException e) {
            return "";
        }
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
        flushing.cancel(false);
        logback.detachAppender(async);
        async.stop();
    }
}
