package io.vblk.cli;

import io.vblk.logs.BackendSummary;
import io.vblk.logs.FrontendSummary;
import io.vblk.logs.Grep;
import io.vblk.logs.GrepFilter;
import io.vblk.requestlog.GuestRecord;
import io.vblk.logs.Join;
import io.vblk.logs.JoinReport;
import io.vblk.logs.JoinText;
import io.vblk.logs.LogException;
import io.vblk.logs.LogKind;
import io.vblk.logs.LogReader;
import io.vblk.logs.Runs;
import io.vblk.requestlog.RequestRecord;
import io.vblk.logs.SummaryText;
import io.vblk.logs.Timeline;
import io.vblk.logs.TimelineChart;
import io.vblk.logs.TimelineReport;
import io.vblk.logs.TimelineText;
import io.vblk.logs.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vblk logs}: read the request logs of the backend and the frontend. Skipped lines are warned about on
 * stderr and do not change the exit code; a log that cannot be read at all is a usage error (2).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Read request logs (JSON Lines): the backend's (with q) or the frontend's (with submit).",
        subcommands = {LogsCommand.Summary.class, LogsCommand.TimelineCommand.class, LogsCommand.GrepCommand.class,
                LogsCommand.JoinCommand.class, LogsCommand.TraceCommand.class},
        footer = {"", LogsCommand.EXIT_CODES})
final class LogsCommand implements Runnable {
    static final String EXIT_CODES = "Exit codes: 0 ok, 2 a usage mistake or a log that cannot be read (missing, not a vblk log).";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: summary, timeline, grep, join or trace");
    }

    private static Consumer<String> warnings(CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    // what --run reads; one description for every subcommand
    private static final String RUN_HELP = "Which run of the log: its id (a prefix will do) or all (default: the last).";

    @Command(name = "summary", mixinStandardHelpOptions = true, footer = {"", LogsCommand.EXIT_CODES},
            description = {"Per device: I/Os, share, IOPS, bytes and errors; for a backend log also the phases Q2D,"
                    + " D2C, Q2C, C2R and the requests in flight at dispatch; for a frontend log the latency.",
                    "Several files are read as one log (the parts of a rolled log)."})
    static final class Summary implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Request log(s), all of one kind.")
        List<Path> files;

        @Option(names = "--run", paramLabel = "ID", description = RUN_HELP)
        String run;

        @CommandLine.Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            output.check(spec.commandLine());
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter table = output.table(out, spec.commandLine().getErr());
            Consumer<String> warnings = warnings(spec);
            String id = Runs.choose(files, run, warnings);
            if (LogReader.kind(files) == LogKind.BACKEND) {
                BackendSummary s = new BackendSummary();
                long skipped = LogReader.each(files, RequestRecord.class, id, warnings, s, s.samples());
                var report = s.report(files, skipped);
                print(table, SummaryText.format(report));
                output.write(report, new OutputOptions.Csv(List.of("device", "ios", "share", "iops", "bytes"),
                        report.devices().stream().map(d -> List.<Object>of(d.name(), d.ios(), d.share(), d.iops(),
                                d.bytes())).toList()), out);
            } else {
                FrontendSummary s = new FrontendSummary();
                long skipped = LogReader.each(files, GuestRecord.class, id, warnings, s);
                var report = s.report(files, skipped);
                print(table, SummaryText.format(report));
                output.write(report, new OutputOptions.Csv(List.of("device", "ios", "share", "iops", "bytes"),
                        report.devices().stream().map(d -> List.<Object>of(d.name(), d.ios(), d.share(), d.iops(),
                                d.bytes())).toList()), out);
            }
            return VblkMain.OK;
        }
    }

    private static void print(PrintWriter to, String text) {
        if (to != null) {
            to.print(text);
            to.flush();
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true, footer = {"", LogsCommand.EXIT_CODES},
            description = {"I/Os and share per device in windows of completion time (r in a backend log, complete in"
                    + " a frontend log): one row per window, so that a change of share shows."})
    static final class TimelineCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Request log(s), all of one kind.")
        List<Path> files;

        @Option(names = "--window", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "TIME",
                description = "Window length, e.g. 100ms, 1s (default: ${DEFAULT-VALUE}).")
        Duration window;

        @Option(names = "--png", paramLabel = "OUT.png", description = "Also draw the shares over time as a PNG line chart.")
        Path png;

        @Option(names = "--run", paramLabel = "ID", description = RUN_HELP)
        String run;

        @CommandLine.Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            if (window.isZero() || window.isNegative()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--window must be positive");
            }
            output.check(spec.commandLine());
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter table = output.table(out, spec.commandLine().getErr());
            Consumer<String> warnings = warnings(spec);
            String id = Runs.choose(files, run, warnings);
            TimelineReport report = Timeline.read(files, LogReader.kind(files), id, window.toNanos(), warnings);
            print(table, TimelineText.format(report));
            List<String> header = new java.util.ArrayList<>(List.of("start_s", "ios"));
            report.devices().forEach(d -> header.addAll(List.of(d + "_ios", d + "_share")));
            output.write(report, new OutputOptions.Csv(header, report.windows().stream().map(w -> {
                List<Object> row = new java.util.ArrayList<>(List.of(w.startS(), w.ios()));
                w.devices().forEach(d -> row.addAll(List.of(d.ios(), d.share())));
                return row;
            }).toList()), out);
            if (png != null) {
                try {
                    TimelineChart.write(report, png);
                } catch (IOException e) {
                    throw new UncheckedIOException(new IOException("cannot write --png " + png + ": " + e.getMessage(), e));
                }
                print(table, "chart: " + png + "\n");
            }
            return VblkMain.OK;
        }
    }

    @Command(name = "grep", mixinStandardHelpOptions = true, footer = {"", LogsCommand.EXIT_CODES},
            description = {"Backend records that match every filter given, one readable line each (like blkparse).",
                    "  TIME  DEVICE qQUEUE #SEQ dDESC TYPE  SECTOR+SECTORS  BYTESB STATUS",
                    "      Q2C .. (Q2D .. D2C .. C2R ..) in service/dispatched DEVICE/ALL",
                    "TIME is the arrival (q) in seconds after the run's earliest; lines are in arrival order."})
    static final class GrepCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "A backend request log.")
        Path file;

        @Option(names = "--device", paramLabel = "NAME", description = "Only this device.")
        String device;

        @Option(names = "--type", paramLabel = "TYPE", description = "Only this request type: IN, OUT, FLUSH...")
        String type;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only this status: OK, IOERR, UNSUPP.")
        String status;

        @Option(names = "--slower-than", converter = DurationConverter.class, paramLabel = "TIME",
                description = "Only requests whose Q2C (arrival to completion) is longer, e.g. 5ms.")
        Duration slowerThan;

        @Option(names = "--limit", paramLabel = "N", description = "Only the N earliest matching records.")
        Long limit;

        @Option(names = "--run", paramLabel = "ID", description = RUN_HELP)
        String run;

        @Override
        public Integer call() {
            if (limit != null && limit < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
            }
            if (LogReader.kind(file) != LogKind.BACKEND) {
                throw new LogException(file + " is a frontend log; grep reads backend logs");
            }
            PrintWriter out = spec.commandLine().getOut();
            GrepFilter filter = new GrepFilter(device, type, slowerThan == null ? null : slowerThan.toNanos(), status);
            String id = Runs.choose(List.of(file), run, warnings(spec));
            Grep.run(file, id, filter, limit == null ? Long.MAX_VALUE : limit, out::println, warnings(spec));
            out.flush();
            return VblkMain.OK;
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true, footer = {"", LogsCommand.EXIT_CODES},
            description = {"Join a backend log with the frontend log of the same run on (device, queue, seq): per"
                    + " device the pairs found, the records without a partner, and the way in (q - submit),"
                    + " the backend's time (r - q) and the way back (complete - r)."})
    static final class JoinCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "BACKEND_LOG")
        Path backendLog;

        @Parameters(index = "1", paramLabel = "FRONTEND_LOG")
        Path frontendLog;

        @CommandLine.Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            if (LogReader.kind(backendLog) != LogKind.BACKEND) {
                throw new LogException(backendLog + " is a frontend log; give the backend's log first");
            }
            if (LogReader.kind(frontendLog) != LogKind.FRONTEND) {
                throw new LogException(frontendLog + " is a backend log; give the frontend's log second");
            }
            output.check(spec.commandLine());
            PrintWriter out = spec.commandLine().getOut();
            Consumer<String> warnings = warnings(spec);
            // each log's last run: a load and the backend it drove write one run each
            JoinReport report = Join.run(backendLog, Runs.choose(List.of(backendLog), null, warnings), frontendLog,
                    Runs.choose(List.of(frontendLog), null, warnings), warnings);
            print(output.table(out, spec.commandLine().getErr()), JoinText.format(report));
            output.write(report, new OutputOptions.Csv(List.of("device", "joined", "backend_only", "frontend_only",
                    "conflicts"), report.devices().stream().map(d -> List.<Object>of(d.name(), d.joined(),
                    d.backendOnly(), d.frontendOnly(), d.conflicts())).toList()), out);
            return VblkMain.OK;
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true, footer = {"", LogsCommand.EXIT_CODES},
            description = {"A backend log as a Chrome Trace Event file, which Perfetto UI (ui.perfetto.dev) and"
                    + " chrome://tracing open: a process per device, a thread per lane of each queue, each request a"
                    + " slice from q to r holding its phases Q2I, I2D, D2C and C2R, and per device the counters"
                    + " 'in service' and 'backlog'. Times are microseconds from the run's earliest stamp."})
    static final class TraceCommand implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.json",
                description = "Where the trace goes; - for stdout.")
        Path output;

        @Option(names = "--run", paramLabel = "ID", description = RUN_HELP)
        String run;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Backend request log(s) (the parts of a rolled log).")
        List<Path> files;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (LogReader.kind(files) != LogKind.BACKEND) {
                throw new LogException(files.get(0) + " is a frontend log; trace reads backend logs (their stamps q i d c r)");
            }
            Consumer<String> notes = warnings(spec);
            String id = Runs.choose(files, run, notes);
            boolean toStdout = output.toString().equals("-");
            Trace.Written w;
            if (toStdout) {
                PrintWriter out = spec.commandLine().getOut();
                w = Trace.write(files, id, out, notes);
                out.println();
                out.flush();
            } else {
                Path parent = output.toAbsolutePath().getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw new LogException("cannot write -o " + output + ": no such directory " + parent);
                }
                try (Writer to = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    w = Trace.write(files, id, to, notes);
                } catch (IOException | UncheckedIOException e) {
                    throw new LogException("cannot write -o " + output + ": " + reason(e));
                }
            }
            notes.accept(String.format(java.util.Locale.ROOT, "trace: %,d requests of %d device(s) on %d track(s)%s%s",
                    w.requests(), w.devices(), w.tracks(), toStdout ? "" : ": " + output,
                    toStdout ? "" : " (open it in https://ui.perfetto.dev or chrome://tracing)"));
            return VblkMain.OK;
        }

        // the file system's reason, which its exceptions often keep apart from their message (only the path)
        private static String reason(Exception e) {
            Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (t instanceof FileSystemException f && f.getReason() != null) {
                return f.getReason();
            }
            return t instanceof AccessDeniedException ? "permission denied" : String.valueOf(t.getMessage());
        }
    }
}
