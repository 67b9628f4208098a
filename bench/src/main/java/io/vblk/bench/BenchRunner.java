package io.vblk.bench;

import io.vblk.config.ByteSize;
import io.vblk.config.Durations;
import io.vblk.config.EventLoopConfig;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Mode;
import io.vblk.config.Pattern;
import io.vblk.config.SchedulerConfig.Policy;
import io.vblk.load.LoadException;
import io.vblk.load.LoadRunner;
import io.vblk.result.DeviceResult;
import io.vblk.result.LoadResult;
import io.vblk.scenario.BackendProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs bench cells end to end: a backend process per group (RAM devices, no disk model, loopback), first a
 * short unmeasured random-write pass over every device (it fills the pages the read cells then read, and
 * warms the backend's JIT), then each cell with the in-process load generator: warmup, measured window,
 * drain. CPU time of both processes is read at the window's two ends ({@link CpuWindow}).
 */
public final class BenchRunner {
    /** Size of each RAM device: 4096 blocks of 4 KiB, so a 2 s write pass touches nearly all of them. */
    public static final String DEVICE_SIZE = "16MiB";
    public static final int BLOCK = 4096;
    /** Requests outstanding per device during the write pass. */
    static final int PREFILL_INFLIGHT = 32;

    /**
     * @param prefill length of the unmeasured write pass after each backend start (zero: none)
     * @param spin event-loops.spin of both processes
     * @param workDir where each backend's config and log go
     * @param live the load's once-a-second line, prefixed with the cell (null: quiet)
     */
    public record Settings(Duration warmup, Duration duration, Duration prefill, Duration spin, Path workDir, Consumer<String> live) {}

    private final Settings settings;

    public BenchRunner(Settings settings) {
        this.settings = settings;
    }

    /** Runs every group's cells; {@code onCell} gets each result as soon as it is measured. */
    public List<CellResult> run(List<BenchPlan.Group> groups, Consumer<CellResult> onCell) {
        List<CellResult> results = new ArrayList<>();
        for (BenchPlan.Group g : groups) {
            try (BackendProcess backend = start(g.policy(), g.mode(), g.devices())) {
                prefill(backend, g.devices());
                for (Cell c : g.cells()) {
                    CellResult r = measure(backend, c);
                    results.add(r);
                    onCell.accept(r);
                }
            }
        }
        return results;
    }

    /** The scaling curve: one backend of {@code maxDevices} devices, then each of {@code cells} on it. */
    public List<CellResult> curve(Policy policy, Mode mode, int maxDevices, List<Cell> cells, Consumer<CellResult> onCell) {
        List<CellResult> results = new ArrayList<>();
        try (BackendProcess backend = start(policy, mode, maxDevices)) {
            prefill(backend, maxDevices);
            for (Cell c : cells) {
                CellResult r = measure(backend, c);
                results.add(r);
                onCell.accept(r);
            }
        }
        return results;
    }

    BackendProcess start(Policy policy, Mode mode, int devices) {
        String name = "bench-" + policy.label() + "-" + mode.label();
        try {
            return BackendProcess.start(backendYaml(policy, mode, devices, settings.spin()), settings.workDir(), name, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RAM devices d0..d(n-1), no disk model, the scheduler's default depth (64), one queue of 256 each. */
    static String backendYaml(Policy policy, Mode mode, int devices, Duration spin) {
        StringBuilder b = new StringBuilder();
        b.append("listen: 127.0.0.1\nport: 0\nmode: ").append(mode.label()).append('\n');
        b.append("event-loops: {spin: ").append(Durations.format(spin)).append("}\n");
        b.append("scheduler: {policy: ").append(policy.label()).append("}\n");
        b.append("devices:\n");
        for (int i = 0; i < devices; i++) {
            b.append("  - {name: ").append(device(i)).append(", size: ").append(DEVICE_SIZE)
                    .append(", store: ram, queue-size: ").append(BenchPlan.QUEUE_SIZE).append("}\n");
        }
        return b.toString();
    }

    static String device(int i) {
        return "d" + i;
    }

    private void prefill(BackendProcess backend, int devices) {
        if (settings.prefill().isZero()) {
            return;
        }
        LoadRunner.Options options = LoadRunner.Options.of(Duration.ZERO, settings.prefill());
        LoadResult r = new LoadRunner(config(backend, Pattern.RANDWRITE, PREFILL_INFLIGHT, devices), options).run();
        check(r, "write pass");
    }

    CellResult measure(BackendProcess backend, Cell c) {
        CpuWindow cpu = new CpuWindow(backend.handle());
        LoadRunner.Options options = LoadRunner.Options.of(settings.warmup(), settings.duration()).withWindowListener(cpu);
        if (settings.live() != null) {
            String prefix = String.format(Locale.ROOT, "%-34s", c.label());
            options = options.withLive(line -> settings.live().accept(prefix + line));
        }
        LoadResult r = new LoadRunner(config(backend, c.rw().pattern, c.outstanding(), c.devices()), options).run();
        check(r, c.label());
        DeviceResult t = r.total();
        return CellResult.of(c, r.durationSeconds(), t.ios(), t.iops(), t.latencyUs().p50(), t.latencyUs().p99(),
                t.latencyUs().p999(), cpu.backendSeconds(), cpu.frontendSeconds(), t.errors());
    }

    private LoadConfig config(BackendProcess backend, Pattern pattern, int outstanding, int devices) {
        List<LoadSpec> specs = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            specs.add(new LoadSpec(device(i), outstanding, pattern, null, ByteSize.of(BLOCK), null));
        }
        return new LoadConfig(backend.target(), false, null, null, specs, null, null, null,
                EventLoopConfig.DEFAULT.withSpin(settings.spin()));
    }

    private static void check(LoadResult r, String what) {
        if (!r.succeeded()) {
            throw LoadException.runFailed(what + ": " + String.join("; ", r.problems()));
        }
        if (r.total().errors() > 0) {
            throw LoadException.runFailed(what + ": " + r.total().errors() + " requests failed on a RAM device");
        }
    }
}
