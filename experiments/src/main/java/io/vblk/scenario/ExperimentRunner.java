package io.vblk.scenario;

import io.vblk.config.DeviceConfig;
import io.vblk.config.LoadSpec;
import io.vblk.load.LoadRunner;
import io.vblk.logs.RequestLogFigures;
import io.vblk.report.DeviceFigures;
import io.vblk.report.ExperimentResult;
import io.vblk.report.FeasibleShare;
import io.vblk.result.LoadResult;
import io.vblk.report.Reduction;
import io.vblk.report.Reservations;
import io.vblk.report.VariantResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs every variant of a scenario {@code repeat} times, each run against a fresh backend process on an
 * ephemeral loopback port, and reduces the runs to one {@link VariantResult} per variant (see
 * {@link Reduction}), each device's feasible share from {@link Feasibility} (a calibration run first when the
 * variant has no emulated disk).
 */
public final class ExperimentRunner {
    /** Each run's series is counted per second unless told otherwise ({@code --interval}). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /**
     * A variant that sets one of these reports its devices' think time and disk time, from its runs' request
     * logs ({@link RequestLogFigures}): idling waits for a flow's next request, a cost model weighs disk time.
     */
    static final java.util.Set<String> REQUEST_LOG_KEYS = java.util.Set.of("backend.scheduler.idle", "backend.scheduler.cost");
    private final Path workDir;
    private final Consumer<String> live;
    private final Consumer<VariantResult> onVariant;
    private final Path requestLog;
    private final Duration statusInterval;
    private final Duration interval;

    /** @param live receives the load's once-a-second line (null: quiet); onVariant each variant when done */
    public ExperimentRunner(Path workDir, Consumer<String> live, Consumer<VariantResult> onVariant) {
        this(workDir, live, onVariant, null);
    }

    /**
     * @param requestLog the request-log file as {@code --request-log} names it everywhere; each variant and run
     *                   writes its backend's log beside it, its name tagged with the run ({@link #requestLogOf}); or null
     */
    public ExperimentRunner(Path workDir, Consumer<String> live, Consumer<VariantResult> onVariant, Path requestLog) {
        this(workDir, live, onVariant, requestLog, Duration.ofSeconds(1), DEFAULT_INTERVAL);
    }

    private ExperimentRunner(Path workDir, Consumer<String> live, Consumer<VariantResult> onVariant, Path requestLog,
                             Duration statusInterval, Duration interval) {
        this.workDir = workDir;
        this.live = live;
        this.onVariant = onVariant;
        this.requestLog = requestLog;
        this.statusInterval = statusInterval;
        this.interval = interval;
    }

    /** The same runner with the live line every {@code every} (fio's --status-interval). */
    public ExperimentRunner withStatusInterval(Duration every) {
        return new ExperimentRunner(workDir, live, onVariant, requestLog, every, interval);
    }

    /** The same runner with each run's series counted per {@code every} ({@code --interval}); zero for none. */
    public ExperimentRunner withInterval(Duration every) {
        return new ExperimentRunner(workDir, live, onVariant, requestLog, statusInterval, every);
    }

    public ExperimentResult run(Scenario s) throws IOException {
        // a real guest needs QEMU, gcc, busybox and a kernel: what is missing stops the run before it starts
        GuestRun.Prepared guests = s.variants().stream().anyMatch(v -> !v.guests().isEmpty())
                ? GuestRun.prepare(cacheDir()) : null;
        List<VariantResult> results = new ArrayList<>();
        List<String> charts = new ArrayList<>();
        for (Scenario.Variant v : s.variants()) {
            FeasibleShare.Model feasible = Feasibility.of(v, names(v), workDir, slug(s.name() + "-" + v.label()));
            List<LoadResult> runs = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            // what the first run's live changes applied, and when: its phases explain the variant
            List<LiveChanges.Group> firstRunChanges = List.of();
            for (int r = 1; r <= s.repeat(); r++) {
                String run = slug(v.label()) + (s.repeat() > 1 ? "-run" + r : "");
                String name = slug(s.name() + "-" + v.label()) + (s.repeat() > 1 ? "-run" + r : "");
                // --request-log's file, else (a variant whose figures read its request logs) the work folder
                Path log = requestLog != null ? requestLogOf(requestLog, run)
                        : readsRequestLog(v) || !v.changes().isEmpty() ? workDir.resolve(name + ".requests.jsonl") : null;
                if (log != null) {
                    logs.add(log);
                }
                String prefix = v.label() + (s.repeat() > 1 ? " #" + r : "") + " ";
                Consumer<String> liveLine = live == null ? null : line -> live.accept(prefix + line);
                if (!v.guests().isEmpty()) {
                    Path sockets = GuestRun.socketFolder();
                    try (BackendProcess backend = BackendProcess.start(GuestRun.backendYaml(v, sockets), workDir, name, log)) {
                        runs.add(GuestRun.run(guests, v, backend, sockets, s.warmup(), s.duration(), workDir, name, liveLine));
                    } finally {
                        deleteFolder(sockets);
                    }
                    continue;
                }
                try (BackendProcess backend = BackendProcess.start(v.backendYaml(), workDir, name, log)) {
                    LoadRunner.Options options = LoadRunner.Options.of(s.warmup(), s.duration())
                            .withStatusInterval(statusInterval).withInterval(interval);
                    if (liveLine != null) {
                        options = options.withLive(liveLine);
                    }
                    LiveChanges changes = LiveChanges.start(v.changes(), backend.admin(), adminToken(v), liveLine);
                    try (changes) {
                        runs.add(new LoadRunner(v.load().withTarget(backend.target()), options).run());
                    }
                    if (r == 1) {
                        firstRunChanges = changes.groups();
                    }
                }
            }
            VariantResult result = reduce(v, runs, feasible);
            if (readsRequestLog(v)) {
                RequestLogFigures f = RequestLogFigures.of(logs, names(v), w -> {
                    if (live != null) {
                        live.accept(v.label() + " request log: " + w);
                    }
                });
                result = result.withRequestLog(f.thinkTimes(), f.diskTimes());
            }
            if (!v.changes().isEmpty() && !logs.isEmpty()) {
                Consumer<String> warn = w -> {
                    if (live != null) {
                        live.accept(v.label() + " request log: " + w);
                    }
                };
                // the whole run's shares against its first weights say nothing once the weights changed midway
                String phases = LiveChanges.phases(logs.get(0), names(v), firstRunChanges, s.warmup(), warn);
                result = result.withExplanationOnly("the weights changed during the run, so its whole-run shares "
                        + "and gaps (against the first weights) do not apply; " + (phases == null
                        ? "the run's request log holds no applied change" : phases));
                Path png = workDir.resolve(slug(s.name() + "-" + v.label()) + "-timeline.png");
                io.vblk.logs.TimelineChart.write(io.vblk.logs.Timeline.read(List.of(logs.get(0)),
                        io.vblk.logs.LogKind.BACKEND, null, TIMELINE_WINDOW.toNanos(), warn), png);
                charts.add(png.toString());
            }
            results.add(result);
            onVariant.accept(result);
        }
        return new ExperimentResult(s.name(), s.description(), s.duration().toMillis() / 1000.0,
                s.warmup().toMillis() / 1000.0, interval.isZero() ? null : interval.toNanos() / 1e9, s.repeat(), results,
                List.copyOf(charts), s.reference());
    }

    /**
     * Where a variant's runs write their request logs: the caller's folder, else the work dir when the variant
     * {@link #readsRequestLog}; null for none.
     */
    /** The window of a live-change variant's timeline chart: fine enough to show the share move at a change. */
    static final Duration TIMELINE_WINDOW = Duration.ofMillis(250);

    /** The admin endpoint's token for a variant's changes: its backend's admin.token-file, read now, or null. */
    private static String adminToken(Scenario.Variant v) {
        var admin = v.backend().admin();
        return admin == null || admin.tokenFile() == null ? null
                : io.vblk.config.Secrets.token(admin.tokenFile(), "backend.admin.token-file");
    }

    static boolean readsRequestLog(Scenario.Variant v) {
        return v.keys().keySet().stream().anyMatch(REQUEST_LOG_KEYS::contains);
    }

    static VariantResult reduce(Scenario.Variant v, List<LoadResult> runs, FeasibleShare.Model feasible) {
        List<String> names = names(v);
        VariantResult r = Reduction.of(v.label(), v.keys(), modes(v, names), v.backend().scheduler().policy().label(),
                names, n -> weightOf(v, n), runs, feasible);
        // an mclock reservation: met or "infeasible", and why, from the feasible share's disk model
        for (DeviceFigures d : r.devices()) {
            Integer reservation = v.backend().devices().stream().filter(c -> c.name().equals(d.name()))
                    .map(DeviceConfig::reservation).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            String verdict = reservation == null ? null
                    : Reservations.verdict(d, reservation, r.devices(), v.backend().scheduler().depth().max(), feasible);
            if (verdict != null) {
                r = r.withExplanation("; " + verdict);
            }
        }
        return r;
    }

    /** The driven devices, in the load's order (a guest's disks where the guest's entry is). */
    static List<String> names(Scenario.Variant v) {
        return v.devices();
    }

    static int weightOf(Scenario.Variant v, String device) {
        return v.backend().devices().stream().filter(d -> d.name().equals(device)).mapToInt(DeviceConfig::weight)
                .findFirst().orElse(DeviceConfig.DEFAULT_WEIGHT);
    }

    private static String modes(Scenario.Variant v, List<String> names) {
        return String.join("+", v.backend().devices().stream().filter(d -> names.contains(d.name()))
                .map(d -> v.backend().modeOf(d).label()).distinct().toList());
    }

    /** Where built guest images are kept between runs: $XDG_CACHE_HOME/vblk, else ~/.cache/vblk. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("vblk");
    }

    private static void deleteFolder(Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        }
        java.nio.file.Files.deleteIfExists(dir);
    }

    /**
     * One run's request log: the run's tag before the file's last extension ({@code logs/seed.jsonl} and run
     * {@code aio-run2} give {@code logs/seed.aio-run2.jsonl}), or after a name that has none.
     */
    public static Path requestLogOf(Path file, String run) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling(dot > 0 ? name.substring(0, dot) + "." + run + name.substring(dot) : name + "." + run);
    }

    static String slug(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
