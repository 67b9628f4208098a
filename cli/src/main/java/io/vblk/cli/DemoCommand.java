package io.vblk.cli;

import io.vblk.config.Durations;
import io.vblk.report.Charts;
import io.vblk.report.CuresTable;
import io.vblk.report.ExperimentResult;
import io.vblk.report.VariantResult;
import io.vblk.scenario.Scenario;
import io.vblk.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vblk demo}: both 2008 seed tables, short enough to watch: the seed 80/20 in sync then aio mode, and
 * a serialized VM of weight 80 against a host of weight 20; one chart with all three variants. It ends with the
 * cures table's summary line from a short run of two key cures (all nine: {@code vblk experiment cures}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Reproduce the 2008 seed tables: weights 80/20, 128 processes per device, sync then aio; then a "
                + "sync VM (weight 80) against an aio host (weight 20).",
                "Same as: experiment seed --variants sync,aio and experiment vm-vs-host --variants ioband, each with "
                + "--repeat 1 --duration 4s --warmup 1s, one chart in results/demo;",
                "then experiment cures --variants \"seed sync: idle,vm-vs-host: depth auto\" --duration 2s, ending with "
                + "the cures summary line"},
        footer = {"", ExitCodes.ALL})
public final class DemoCommand implements Callable<Integer> {
    /** The cures the demo runs, and for how long. */
    static final List<String> CURES = List.of("seed sync: idle", "vm-vs-host: depth auto");
    static final Duration CURES_DURATION = Duration.ofSeconds(2);

    @Option(names = "--duration", paramLabel = "D", defaultValue = "4s", description = "measured time per run (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/demo", description = "charts and logs (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = {"-q", "--quiet"}, description = "no live status line")
    boolean quiet;

    @Option(names = "--guest", description = {"run seed-guest instead: the seed with a real Linux guest (QEMU) on the "
            + "vhost-user door, sync then aio (needs qemu-system-x86, gcc, busybox-static and a kernel; exit 2 naming "
            + "what is missing)"})
    boolean guest;

    @Option(names = "--status-interval", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "how often the live line is printed (default: ${DEFAULT-VALUE})")
    Duration statusInterval;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s", converter = IntervalConverter.class,
            description = IntervalConverter.HELP)
    Duration interval = io.vblk.scenario.ExperimentRunner.DEFAULT_INTERVAL;

    /** What {@code --json} writes: the two experiments and the one chart. */
    record DemoResult(List<ExperimentResult> experiments, List<String> charts) {}

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream machine, PrintStream err) {
        if (output.format == null) {
            output.format = OutputOptions.Format.table;
        }
        if ("-".equals(output.json) && output.format != OutputOptions.Format.table) {
            err.println("vblk demo: --json - and --output-format " + output.format + " both write to stdout; give --json FILE");
            return 2;
        }
        PrintStream table = output.table(machine, err);
        PrintStream stdout = table == null ? new PrintStream(java.io.OutputStream.nullOutputStream()) : table;
        ExperimentCommand e = new ExperimentCommand();
        e.out = out;
        e.quiet = quiet;
        e.statusInterval = statusInterval;
        e.interval = interval;
        try {
            Duration d = Durations.parse(duration);
            List<ExperimentResult> results = new ArrayList<>();
            // --guest: the guest's own scenario, whose window is the scenario's (the boot dominates anyway)
            List<String[]> runs = guest ? List.<String[]>of(new String[] {"seed-guest"})
                    : List.of(new String[] {"seed", "sync", "aio"}, new String[] {"vm-vs-host", "ioband"});
            for (String[] run : runs) {
                if (run.length == 1) {
                    results.add(e.execute(ScenarioLoader.load(run[0]), stdout, err));
                    continue;
                }
                Scenario s = ScenarioLoader.load(run[0]).with(d, Duration.ofSeconds(1), 1,
                        List.of(run).subList(1, run.length));
                results.add(e.execute(s, stdout, err));
            }
            // one chart: each variant named after its experiment, devices by their place (80 first, 20 second)
            List<VariantResult> all = new ArrayList<>();
            results.forEach(r -> r.variants().forEach(v -> all.add(v.withLabel(r.scenario() + " " + v.label()))));
            Files.createDirectories(out);
            Path chart = Charts.shares(new ExperimentResult("demo", "", d.toMillis() / 1000.0, 1, 1, all, List.of(), null),
                    out);
            stdout.println("chart: " + chart);
            // two key cures, short: the demo stays fast; the summary line ends the demo
            ExperimentResult cures = guest ? null : e.execute(ScenarioLoader.load("cures").with(CURES_DURATION,
                    Duration.ofSeconds(1), 1, CURES), stdout, err);
            if (cures != null) {
                results.add(cures);
            }
            output.write(new DemoResult(results, List.of(chart.toString())), ExperimentCommand.csv(results),
                    new PrintWriter(machine, true));
            if (output.json != null && !"-".equals(output.json)) {
                stdout.println("json: " + output.json);
            }
            if (cures != null) {
                stdout.println(CuresTable.summary(cures) + " (a short run of " + CURES.size() + " of the cures; all of "
                        + "them: ./vblk experiment cures)");
            }
            return 0;
        } catch (IOException | RuntimeException x) {
            err.println("vblk demo: " + x.getMessage());
            // a duration that does not parse is the operator's mistake; anything else, the run's failure
            return x instanceof IllegalArgumentException || x instanceof io.vblk.guest.GuestTools.Missing ? 2
                    : x instanceof io.vblk.load.LoadException l ? l.exitCode() : 1;
        }
    }
}
