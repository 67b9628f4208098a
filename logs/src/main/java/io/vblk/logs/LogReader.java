package io.vblk.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import io.vblk.requestlog.ControlRecord;
import io.vblk.requestlog.DepthSample;
import io.vblk.requestlog.IdleSample;
import io.vblk.requestlog.RunHeader;
import io.vblk.requestlog.Sample;

/**
 * Streams the records of one JSON Lines request log, one line at a time. A line that is not a record is
 * skipped with a warning: a last line without its line break that does not parse is what a killed writer
 * leaves ("incomplete"); any other bad line is "malformed", and only the first {@link #REPORTED} are named
 * one by one. A complete record that merely lacks the final line break is kept: nothing of it is missing.
 * A run's header line ({@link RunHeader}) is no record: it starts the run the records after it belong to, and
 * with {@link #inRun} only that run's records are read. A {@link Sample} line (the scheduler's counters) is no
 * record either: it goes to the sink given to {@link #samples}, if any, and is skipped otherwise; so does a
 * {@link ControlRecord} line (a live change), to {@link #controls}.
 */
public final class LogReader<T> implements Iterator<T>, Closeable {
    /**
     * Unknown fields are ignored (the schema may grow), missing or null ones are not: a record without its
     * {@code r} would read as r = 0 and spoil every figure it enters.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    static final int REPORTED = 5;
    private static final ObjectReader HEADERS = MAPPER.readerFor(RunHeader.class);
    private static final ObjectReader IDLE_SAMPLES = MAPPER.readerFor(IdleSample.class);
    private static final ObjectReader DEPTH_SAMPLES = MAPPER.readerFor(DepthSample.class);
    private static final ObjectReader CONTROLS = MAPPER.readerFor(ControlRecord.class);
    /** How far {@link #kind} looks for a first JSON object before calling the file something else. */
    private static final int SNIFFED = 100;

    private final Path file;
    private final ObjectReader reader;
    private final String label;
    private final Consumer<String> warnings;
    private final Lines lines;
    private final boolean controlsOnly;
    private String run;
    private Consumer<? super Sample> samples;
    private Consumer<? super ControlRecord> controls;
    private String current;
    private T next;
    private boolean done;
    private long malformed;
    private long incomplete;

    private LogReader(Path file, Class<T> type, Consumer<String> warnings) {
        this(file, type, warnings, false);
    }

    // controlsOnly: every record line is skipped unread (a reader of the live changes alone)
    private LogReader(Path file, Class<T> type, Consumer<String> warnings, boolean controlsOnly) {
        this.file = file;
        this.reader = MAPPER.readerFor(type);
        this.label = controlsOnly ? "control" : LogKind.of(type).label();
        this.warnings = warnings;
        this.lines = lines(file);
        this.controlsOnly = controlsOnly;
    }

    /** The records of {@code type} in {@code file}; warnings about skipped lines go to {@code warnings}. */
    public static <T> LogReader<T> open(Path file, Class<T> type, Consumer<String> warnings) {
        return new LogReader<>(file, type, warnings);
    }

    /** Only the records of run {@code id} (null: every record); before the first {@link #next}. */
    public LogReader<T> inRun(String id) {
        this.run = id;
        return this;
    }

    /** The sample lines (of the run {@link #inRun} chose) go to {@code sink}; before the first {@link #next}. */
    public LogReader<T> samples(Consumer<? super Sample> sink) {
        this.samples = sink;
        return this;
    }

    /** The control lines (of the run {@link #inRun} chose) go to {@code sink}; before the first {@link #next}. */
    public LogReader<T> controls(Consumer<? super ControlRecord> sink) {
        this.controls = sink;
        return this;
    }

    /** Every live change in {@code files}' run {@code run} (null: every run), in log order. */
    public static List<ControlRecord> controls(List<Path> files, String run, Consumer<String> warnings) {
        List<ControlRecord> out = new java.util.ArrayList<>();
        for (Path f : files) {
            try (LogReader<Object> r = new LogReader<>(f, Object.class, warnings, true).inRun(run).controls(out::add)) {
                r.forEachRemaining(x -> {});
            }
        }
        return out;
    }

    /**
     * Reads every file in turn (the parts of a rolled log, say), only run {@code run}'s records unless it is
     * null; returns the number of lines skipped.
     */
    public static <T> long each(List<Path> files, Class<T> type, String run, Consumer<String> warnings,
                                Consumer<? super T> sink) {
        return each(files, type, run, warnings, sink, null);
    }

    /** As {@link #each(List, Class, String, Consumer, Consumer)}, with the sample lines going to {@code samples}. */
    public static <T> long each(List<Path> files, Class<T> type, String run, Consumer<String> warnings,
                                Consumer<? super T> sink, Consumer<? super Sample> samples) {
        long skipped = 0;
        for (Path f : files) {
            try (LogReader<T> r = open(f, type, warnings).inRun(run).samples(samples)) {
                r.forEachRemaining(sink);
                skipped += r.skipped();
            }
        }
        return skipped;
    }

    /** Whether {@code file} is a backend or a frontend log, from its first JSON object. */
    public static LogKind kind(Path file) {
        try (Lines in = lines(file)) {
            int seen = 0;
            for (Lines.Line line = in.next(); line != null && seen < SNIFFED; line = in.next()) {
                if (line.text().isBlank()) {
                    continue;
                }
                seen++;
                RunHeader header = header(line.text());
                if (header != null) {
                    return "frontend".equals(header.log()) ? LogKind.FRONTEND : LogKind.BACKEND;
                }
                if (line.text().startsWith(Sample.PREFIX) || line.text().startsWith(ControlRecord.PREFIX)) {
                    return LogKind.BACKEND;
                }
                JsonNode node = tree(line.text());
                if (node != null && node.isObject()) {
                    LogKind kind = LogKind.of(node);
                    if (kind == null) {
                        throw new LogException(file + ": not a vblk request log (its first JSON line has neither \"q\" nor \"submit\")");
                    }
                    return kind;
                }
            }
            throw new LogException(file + (seen == 0 ? ": empty log (no records)"
                    : ": not a vblk request log (no JSON object in its first " + seen + " lines)"));
        } catch (IOException e) {
            throw new LogException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The one kind all {@code files} share; mixing backend and frontend logs is a usage error. */
    public static LogKind kind(List<Path> files) {
        LogKind first = kind(files.get(0));
        for (Path f : files.subList(1, files.size())) {
            LogKind k = kind(f);
            if (k != first) {
                throw new LogException(files.get(0) + " is a " + first.label() + " log but " + f + " a " + k.label()
                        + " log; give logs of one kind");
            }
        }
        return first;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            advance();
        }
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T value = next;
        next = null;
        return value;
    }

    /** Lines skipped so far, malformed or incomplete. */
    public long skipped() {
        return malformed + incomplete;
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void advance() {
        try {
            for (Lines.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.text().isBlank()) {
                    continue;
                }
                RunHeader header = header(line.text());
                if (header != null) {
                    current = header.run();
                    continue;
                }
                if (run != null && !run.equals(current)) {
                    continue;
                }
                if (line.text().startsWith(Sample.PREFIX)) {
                    String problem = samples == null ? null : sample(line.text());
                    if (problem != null) {
                        skip(line, problem);
                    }
                    continue;
                }
                if (line.text().startsWith(ControlRecord.PREFIX)) {
                    String problem = controls == null ? null : control(line.text());
                    if (problem != null) {
                        skip(line, problem);
                    }
                    continue;
                }
                if (controlsOnly) {
                    continue;
                }
                String problem = line.tooLong() ? "longer than " + Lines.MAX_LENGTH / 1024 + " KiB" : null;
                if (problem == null) {
                    try {
                        next = reader.readValue(line.text());
                        if (next != null) {
                            return;
                        }
                        problem = "null is not a record";
                    } catch (JsonProcessingException e) {
                        problem = reason(e);
                    }
                }
                skip(line, problem);
            }
        } catch (IOException e) {
            throw new LogException(file + ": cannot read: " + e.getMessage());
        }
        done = true;
        if (malformed > REPORTED) {
            warnings.accept(file + ": " + malformed + " malformed lines skipped in all; the first " + REPORTED + " are above");
        }
    }

    private void skip(Lines.Line line, String problem) {
        if (!line.terminated()) {
            incomplete++;
            warnings.accept(file + ": line " + line.number() + " is incomplete (the writer stopped mid-line); skipped");
            return;
        }
        if (++malformed <= REPORTED) {
            warnings.accept(file + ": line " + line.number() + " is not a " + label + " record (" + problem + "); skipped");
        }
    }

    // hands the control record to the sink; returns why the line is not one, or null
    private String control(String text) {
        try {
            controls.accept(CONTROLS.readValue(text));
            return null;
        } catch (JsonProcessingException e) {
            return reason(e);
        }
    }

    // hands the sample to the sink; returns why the line is not one, or null
    private String sample(String text) {
        ObjectReader r = text.startsWith(IdleSample.PREFIX) ? IDLE_SAMPLES
                : text.startsWith(DepthSample.PREFIX) ? DEPTH_SAMPLES : null;
        if (r == null) {
            return "a sample of an unknown kind";
        }
        try {
            samples.accept(r.readValue(text));
            return null;
        } catch (JsonProcessingException e) {
            return reason(e);
        }
    }

    /** Jackson's message without what only a Jackson user can act on: location, excerpt, feature names, indexes. */
    private static String reason(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        m = m.lines().findFirst().orElse("").replaceAll(" \\(index \\d+\\)", "").replaceAll("; `.*", "");
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }

    /** The run header {@code line} is, or null when it is a record (or anything else). */
    static RunHeader header(String line) {
        if (!line.startsWith(RunHeader.PREFIX)) {
            return null;
        }
        try {
            return HEADERS.readValue(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonNode tree(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static Lines lines(Path file) {
        if (Files.isDirectory(file)) {
            throw new LogException(file + ": is a directory, not a log");
        }
        try {
            // a decoder that replaces bad bytes: a binary file then reads as lines that are not JSON
            return new Lines(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new LogException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new LogException(file + ": permission denied");
        } catch (IOException e) {
            throw new LogException(file + ": cannot open: " + e.getMessage());
        }
    }
}
