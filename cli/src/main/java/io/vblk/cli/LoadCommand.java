package io.vblk.cli;

import io.vblk.config.ConfigLoader;
import io.vblk.config.LoadConfig;
import io.vblk.config.SettingException;
import io.vblk.load.LoadRunner;
import io.vblk.report.ExperimentTable;
import io.vblk.report.JsonReport;
import io.vblk.report.Reduction;
import io.vblk.result.LoadResult;
import io.vblk.report.ResultTable;
import io.vblk.result.VerifySummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vblk load}: drive a backend's devices with guest processes and print what each device got. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Drive a backend's devices with guest processes; report I/Os, shares, IOPS and latency.",
                "Runs warmup plus duration, then prints one row per device and a total over the measured window."},
        footer = {"", "Exit codes: 0 ok, 1 the run failed (backend error, lost requests, verify mismatch),",
                "2 usage or config error."})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "HOST:PORT", description = "The backend; overrides the config's target.")
    String target;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Load config (YAML).")
    Path config;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Measured time after warmup (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Time run but not measured before it (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @CommandLine.Mixin
    OutputOptions output;

    @Option(names = "--request-log", paramLabel = "PATH", description = "Write one JSON line per request (the guest's view).")
    java.nio.file.Path requestLog;

    @Option(names = "--append", description = "Add this run to an existing --request-log (refused otherwise).")
    boolean append;

    @Option(names = "--verify-only", description = {"Read back once every block the config's verify-ledger records as "
            + "flushed and check it; no writes. Exit 1 on any mismatch."})
    boolean verifyOnly;

    @Option(names = "--status-interval", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often the live line is printed on stderr (default: ${DEFAULT-VALUE}).")
    Duration statusInterval;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s", converter = IntervalConverter.class,
            description = "Count the measured I/Os per device in intervals of TIME (intervals[] in the JSON); off or 0 "
                    + "for none (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = {"-q", "--quiet"}, description = "No live line on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        if (duration.isZero() || duration.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be positive");
        }
        output.check(spec.commandLine());
        LoadConfig cfg = ConfigLoader.load(config);
        if (target != null) {
            cfg = cfg.withTarget(target);
        }
        if (verifyOnly) {
            cfg = cfg.withLedger(cfg.verifyLedger(), cfg.flushEvery(), true);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadRunner.Options options = LoadRunner.Options.of(warmup, duration).withRequestLog(requestLog, append)
                .withStatusInterval(statusInterval).withInterval(interval);
        if (!quiet) {
            options = options.withLive(line -> {
                err.println(line);
                err.flush();
            });
        }
        LoadResult result;
        try {
            result = new LoadRunner(cfg, options).run();
        } catch (SettingException e) {
            throw e.in(config);
        }
        PrintWriter table = output.table(out, err);
        if (table != null) {
            table.print(ResultTable.format(result));
            printNotes(result, cfg.verifyOnly(), table);
            if (!cfg.verifyOnly()) {
                table.print(ExperimentTable.format(Reduction.ofLoad(result)));
            }
            table.flush();
        }
        output.write(result, new OutputOptions.Csv(List.of("device", "weight", "ios", "share", "iops",
                "mbps", "lat_p50_us", "lat_p90_us", "lat_p99_us", "lat_p999_us"), result.devices().stream()
                .map(d -> List.<Object>of(d.name(), d.weight(), d.ios(), d.share(), d.iops(), d.mbps(), d.latencyUs().p50(),
                        d.latencyUs().p90(), d.latencyUs().p99(), d.latencyUs().p999())).toList()), out);
        for (String problem : result.problems()) {
            err.println("vblk load: " + problem);
        }
        return result.succeeded() ? VblkMain.OK : VblkMain.RUN_FAILED;
    }

    private static void printNotes(LoadResult r, boolean verifyOnly, PrintWriter out) {
        out.printf("measured %.2f s%n", r.durationSeconds());
        r.devices().stream().filter(d -> d.errors() > 0)
                .forEach(d -> out.printf("%s: %d failed requests (IOERR, UNSUPP or short read)%n", d.name(), d.errors()));
        VerifySummary v = r.verify();
        if (verifyOnly) {
            out.printf("verify-only: %d flushed blocks (%d bytes) verified, %d failed reads, %d mismatches%n",
                    v.checked(), v.checkedBytes(), v.skipped(), v.mismatches());
            v.first().forEach(m -> out.println("  " + m));
        } else if (v.enabled()) {
            out.printf("verify: %d reads checked, %d skipped (block not written by this run), %d mismatches%n",
                    v.checked(), v.skipped(), v.mismatches());
            v.first().forEach(m -> out.println("  " + m));
        }
    }
}
