package io.vblk.scenario;

import io.vblk.config.DeviceConfig;
import io.vblk.config.LoadSpec;
import io.vblk.load.LoadRunner;
import io.vblk.report.DeviceFigures;
import io.vblk.report.DeviceResult;
import io.vblk.report.ExperimentResult;
import io.vblk.report.Fairness;
import io.vblk.report.LoadResult;
import io.vblk.report.VariantResult;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs every variant of a scenario {@code repeat} times, each run against a fresh backend process on an
 * ephemeral loopback port, and reduces the runs to one {@link VariantResult} per variant: mean figures,
 * spread of shares over repeats, and the backend's own time-weighted in-flight and backlog means.
 */
public final class ExperimentRunner {
    private final Path workDir;
    private final Consumer<String> live;
    private final Consumer<VariantResult> onVariant;
    private final Path requestLogs;

    /** @param live receives the load's once-a-second line (null: quiet); onVariant each variant when done */
    public ExperimentRunner(Path workDir, Consumer<String> live, Consumer<VariantResult> onVariant) {
        this(workDir, live, onVariant, null);
    }

    /** @param requestLogs a folder for one backend request log per variant and run, named after it; or null */
    public ExperimentRunner(Path workDir, Consumer<String> live, Consumer<VariantResult> onVariant, Path requestLogs) {
        this.workDir = workDir;
        this.live = live;
        this.onVariant = onVariant;
        this.requestLogs = requestLogs;
    }

    public ExperimentResult run(Scenario s) throws IOException {
        List<VariantResult> results = new ArrayList<>();
        for (Scenario.Variant v : s.variants()) {
            List<LoadResult> runs = new ArrayList<>();
            for (int r = 1; r <= s.repeat(); r++) {
                String name = slug(s.name() + "-" + v.label()) + (s.repeat() > 1 ? "-run" + r : "");
                Path log = requestLogs == null ? null : requestLogs.resolve(name + ".requests.jsonl");
                try (BackendProcess backend = BackendProcess.start(v.backendYaml(), workDir, name, log)) {
                    LoadRunner.Options options = LoadRunner.Options.of(s.warmup(), s.duration());
                    if (live != null) {
                        String prefix = v.label() + (s.repeat() > 1 ? " #" + r : "") + " ";
                        options = options.withLive(line -> live.accept(prefix + line));
                    }
                    runs.add(new LoadRunner(v.load().withTarget(backend.target()), options).run());
                }
            }
            VariantResult result = reduce(v, runs);
            results.add(result);
            onVariant.accept(result);
        }
        return new ExperimentResult(s.name(), s.description(), s.duration().toMillis() / 1000.0,
                s.warmup().toMillis() / 1000.0, s.repeat(), results, List.of());
    }

    static VariantResult reduce(Scenario.Variant v, List<LoadResult> runs) {
        List<String> names = v.load().load().stream().map(LoadSpec::device).distinct().toList();
        double weightSum = names.stream().mapToDouble(n -> weightOf(v, n)).sum();
        List<DeviceFigures> devices = new ArrayList<>();
        for (String name : names) {
            int weight = weightOf(v, name);
            double[] share = new double[runs.size()];
            double ios = 0, iops = 0, p99 = 0, inflight = 0, backlog = 0;
            int peak = 0;
            long errors = 0;
            for (int i = 0; i < runs.size(); i++) {
                LoadResult run = runs.get(i);
                // a device may be driven by more than one load entry: sum their counts, take the worst p99
                List<DeviceResult> ds = run.devices().stream().filter(x -> x.name().equals(name)).toList();
                if (ds.isEmpty()) {
                    throw new IllegalStateException("run " + (i + 1) + " has no result for device " + name);
                }
                share[i] = ds.stream().mapToDouble(DeviceResult::share).sum();
                ios += ds.stream().mapToLong(DeviceResult::ios).sum();
                iops += ds.stream().mapToDouble(DeviceResult::iops).sum();
                p99 += ds.stream().mapToLong(d -> d.latencyUs().p99()).max().orElse(0);
                errors += ds.stream().mapToLong(DeviceResult::errors).sum();
                inflight += timeMean(run.backendStart(), run.backendEnd(), name, true);
                backlog += timeMean(run.backendStart(), run.backendEnd(), name, false);
                peak = Math.max(peak, run.backendEnd().device(name).peakInflight());
            }
            int n = runs.size();
            double meanShare = mean(share);
            double weightShare = weight / weightSum;
            devices.add(new DeviceFigures(name, weight, weightShare, ios / n, meanShare, 100 * stddev(share),
                    100 * (meanShare - weightShare), iops / n, p99 / n, inflight / n, backlog / n, peak, errors));
        }
        String mode = modes(v, names);
        String policy = v.backend().scheduler().policy().label();
        return new VariantResult(v.label(), v.keys(), mode, policy, runs.size(), devices, Fairness.jain(devices),
                Fairness.maxErrorPp(devices), Fairness.explain(mode, policy, devices));
    }

    /** Time-weighted mean over the measured window, from the backend's integrals at its two ends. */
    static double timeMean(BackendStats start, BackendStats end, String device, boolean inflight) {
        DeviceStats a = start.device(device);
        DeviceStats b = end.device(device);
        long dt = end.nanos() - start.nanos();
        if (dt <= 0) {
            return 0;
        }
        long area = inflight ? b.inflightArea() - a.inflightArea() : b.backlogArea() - a.backlogArea();
        return (double) area / dt;
    }

    private static int weightOf(Scenario.Variant v, String device) {
        return v.backend().devices().stream().filter(d -> d.name().equals(device)).mapToInt(DeviceConfig::weight)
                .findFirst().orElse(DeviceConfig.DEFAULT_WEIGHT);
    }

    private static String modes(Scenario.Variant v, List<String> names) {
        return String.join("+", v.backend().devices().stream().filter(d -> names.contains(d.name()))
                .map(d -> v.backend().modeOf(d).label()).distinct().toList());
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? 0 : s / xs.length;
    }

    private static double stddev(double[] xs) {
        if (xs.length < 2) {
            return 0;
        }
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (xs.length - 1));
    }

    static String slug(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
