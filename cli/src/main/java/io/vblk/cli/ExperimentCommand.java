package io.vblk.cli;

import io.vblk.config.ConfigException;
import io.vblk.config.ConfigLoader;
import io.vblk.config.Durations;
import io.vblk.load.LoadException;
import io.vblk.load.LoadRunner;
import io.vblk.report.Charts;
import io.vblk.report.CrossTable;
import io.vblk.report.CuresTable;
import io.vblk.report.ExperimentResult;
import io.vblk.report.ExperimentTable;
import io.vblk.report.VariantResult;
import io.vblk.scenario.ExperimentRunner;
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
import picocli.CommandLine.Parameters;

/** {@code vblk experiment}: run a scenario's variants against fresh backend processes and explain the shares. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run a scenario (a YAML file, or a built-in: seed, vm-vs-host, depth-sweep, three-way, depth-vs-vm, "
                + "io-throttle-2008, seed-guest, vm-vs-host-guest, idle-sweep, reservation, cost-model, latency-target, cures).",
                "Each variant gets its own backend process on an ephemeral loopback port."},
        footer = {"", "Exit codes: 0 ok, 1 the run failed (or --strict and the host limited a run),",
                "2 a usage or configuration mistake, or a tool a real guest needs is missing."})
public final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE|NAME", description = "scenario file or built-in name")
    String scenario;

    @Option(names = "--duration", paramLabel = "D", description = "measured time per run, e.g. 10s (default: the scenario's)")
    String duration;

    @Option(names = "--warmup", paramLabel = "D", description = "unmeasured time before each run (default: the scenario's)")
    String warmup;

    @Option(names = "--repeat", paramLabel = "N", description = "runs per variant (default: the scenario's)")
    Integer repeat;

    @Option(names = "--variants", split = ",", paramLabel = "LABEL", description = "run only these variants")
    List<String> variants;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "write PNG charts (and keep backend configs and logs) here")
    Path out;

    @Option(names = "--request-log", paramLabel = "FILE",
            description = "keep the backend's request log of every variant and run, each beside FILE with the run in its name "
                    + "(FILE.jsonl: FILE.VARIANT[-runN].jsonl); FILE's folder must exist")
    Path requestLog;

    @Option(names = {"-q", "--quiet"}, description = "no live status line")
    boolean quiet;

    @Option(names = "--status-interval", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "how often the live line is printed (default: ${DEFAULT-VALUE})")
    Duration statusInterval;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s", converter = IntervalConverter.class,
            description = IntervalConverter.HELP)
    Duration interval = ExperimentRunner.DEFAULT_INTERVAL;

    @Option(names = "--show", description = "print the scenario's YAML and exit")
    boolean show;

    @Option(names = "--strict", description = {"exit 1 when the host limited any run (a load that held under 90 % of "
            + "its processes' requests, or dispatch lag over 5 %): such a run measures the machine, not the backend"})
    boolean strict;

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    /** Runs the scenario against fresh backends (their files in --out, else a temporary folder), printing its tables. */
    ExperimentResult execute(Scenario s, PrintStream stdout, PrintStream err) throws IOException {
        // before any backend starts: an interval that splits the window too finely is the operator's mistake
        LoadRunner.checkInterval(interval, s.duration());
        Path work = out != null ? out : Files.createTempDirectory("vblk-experiment");
        stdout.printf("experiment %s: %d variant(s) x %d run(s) of %s (+%s warm-up)%n", s.name(), s.variants().size(),
                s.repeat(), Durations.format(s.duration()), Durations.format(s.warmup()));
        ExperimentRunner runner = new ExperimentRunner(work, quiet ? null : err::println,
                v -> ExperimentTable.print(stdout, v), requestLog).withStatusInterval(statusInterval).withInterval(interval);
        ExperimentResult result = runner.run(s);
        stdout.print(CrossTable.format(result));
        stdout.print(CuresTable.format(result));
        return result;
    }

    /** Why {@code --request-log FILE} cannot be used, or null: it names a file whose folder exists, as in load. */
    static String requestLogProblem(Path file) {
        if (Files.isDirectory(file)) {
            return "is a folder; --request-log names a file, and each run's log goes beside it ("
                    + ExperimentRunner.requestLogOf(file.resolve("seed.jsonl"), "VARIANT") + ")";
        }
        Path folder = file.toAbsolutePath().getParent();
        return Files.isDirectory(folder) ? null : "no such directory " + folder;
    }

    /** The CSV form: a row per variant and device. */
    static OutputOptions.Csv csv(List<ExperimentResult> results) {
        List<List<Object>> rows = new ArrayList<>();
        for (ExperimentResult r : results) {
            for (VariantResult v : r.variants()) {
                for (var d : v.devices()) {
                    // Arrays.asList: a percentile not known is an empty cell, not a failure
                    rows.add(java.util.Arrays.asList(r.scenario(), v.label(), d.name(), d.weight(), d.weightShare(), d.share(),
                            d.shareSpreadPp(), d.shareErrorPp(), d.ios(), d.iops(), d.p50Us(), d.p90Us(), d.p99Us(),
                            d.p999Us()));
                }
            }
        }
        return new OutputOptions.Csv(List.of("scenario", "variant", "device", "weight", "weight_share", "share",
                "share_spread_pp", "share_error_pp", "ios_per_run", "iops", "p50_us", "p90_us", "p99_us", "p999_us"), rows);
    }

    int run(PrintStream machine, PrintStream err) {
        try {
            if (output.format == null) {
                output.format = OutputOptions.Format.table;
            }
            if ("-".equals(output.json) && output.format != OutputOptions.Format.table) {
                err.println("vblk experiment: --json - and --output-format " + output.format + " both write to stdout; "
                        + "give --json FILE");
                return 2;
            }
            String badLog = requestLog == null ? null : requestLogProblem(requestLog);
            if (badLog != null) {
                err.println("vblk experiment: --request-log " + requestLog + ": " + badLog);
                return 2;
            }
            PrintStream table = output.table(machine, err);
            PrintStream stdout = table == null ? new PrintStream(java.io.OutputStream.nullOutputStream()) : table;
            if (show) {
                stdout.print(ScenarioLoader.BUILT_IN.contains(scenario) && !Files.exists(Path.of(scenario))
                        ? ScenarioLoader.builtIn(scenario) : ConfigLoader.text(Path.of(scenario)));
                return 0;
            }
            Scenario all = ScenarioLoader.load(scenario);
            if (variants != null) {
                List<String> known = all.variants().stream().map(Scenario.Variant::label).toList();
                List<String> unknown = variants.stream().filter(v -> !known.contains(v)).toList();
                if (!unknown.isEmpty()) {
                    err.println("vblk experiment: no variant " + unknown + " in " + all.name() + "; its variants are: "
                            + String.join(", ", known));
                    return 2;
                }
            }
            Scenario s = all.with(duration == null ? null : Durations.parse(duration),
                    warmup == null ? null : Durations.parse(warmup), repeat, variants);
            ExperimentResult result = execute(s, stdout, err);
            // the runner's own charts (a live-change variant's timeline) first, then the result's
            List<String> charts = new ArrayList<>(result.charts());
            if (out != null) {
                charts.add(Charts.shares(result, out).toString());
                Path sweep = Charts.sweep(result, out);
                if (sweep != null) {
                    charts.add(sweep.toString());
                }
                Path depth = Charts.depthOverTime(result, out);
                if (depth != null) {
                    charts.add(depth.toString());
                }
            }
            charts.forEach(c -> stdout.println("chart: " + c));
            result = result.withCharts(charts);
            PrintWriter m = new PrintWriter(machine, true);
            output.write(result, csv(List.of(result)), m);
            if (output.json != null && !"-".equals(output.json)) {
                stdout.println("json: " + output.json);
            }
            List<String> invalid = result.variants().stream().filter(v -> !v.valid()).map(VariantResult::label).toList();
            if (strict && !invalid.isEmpty()) {
                err.println("vblk experiment: --strict: the host limited variant(s) " + String.join(", ", invalid)
                        + "; their figures measure the machine, not the backend");
                return 1;
            }
            return 0;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (LoadException e) {
            err.println("vblk experiment: " + e.getMessage());
            return e.exitCode();
        } catch (io.vblk.guest.GuestTools.Missing e) {
            err.println("vblk experiment: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("vblk experiment: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("vblk experiment: " + e.getMessage());
            return 1;
        }
    }
}
