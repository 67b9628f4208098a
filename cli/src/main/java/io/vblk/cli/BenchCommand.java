package io.vblk.cli;

import io.vblk.bench.BenchCharts;
import io.vblk.bench.BenchPlan;
import io.vblk.bench.BenchReport;
import io.vblk.bench.BenchRunner;
import io.vblk.bench.BenchTable;
import io.vblk.bench.Cell;
import io.vblk.bench.CellResult;
import io.vblk.config.Durations;
import io.vblk.config.EventLoopConfig;
import io.vblk.config.Mode;
import io.vblk.config.SchedulerConfig.Policy;
import io.vblk.report.JsonReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vblk bench}: end-to-end throughput, latency and CPU cost of the backend over loopback. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"End-to-end benchmark over loopback: RAM devices, no disk model, 4 KiB requests.",
                "",
                "Every combination of --rw, --outstanding (per device), --devices, --policy and --mode is one cell: IOPS, "
                        + "latency p50/p99/p99.9 seen by the frontend, and CPU seconds per million I/Os of the backend "
                        + "process and of this (frontend) process over the measured window. One backend process per "
                        + "(mode, policy); after it starts, an unmeasured random-write pass over every device.",
                "",
                "--curve instead measures 4 KiB randread, aio + sfq, against devices (--curve-per-device outstanding on "
                        + "each) and against depth on one device, as a table and a PNG in --out.",
                ""},
        footer = {"", ExitCodes.ALL})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rw", split = ",", paramLabel = "RW", defaultValue = "randread,randwrite",
            converter = RwConverter.class, description = "randread, randwrite (default: ${DEFAULT-VALUE})")
    List<Cell.Rw> rw;

    @Option(names = "--outstanding", split = ",", paramLabel = "N", defaultValue = "1,32",
            description = "Requests outstanding per device, 1 to 256 (default: ${DEFAULT-VALUE})")
    List<Integer> outstanding;

    @Option(names = "--devices", split = ",", paramLabel = "N", defaultValue = "1,8",
            description = "Devices driven at once (default: ${DEFAULT-VALUE})")
    List<Integer> devices;

    @Option(names = "--policy", split = ",", paramLabel = "POLICY", defaultValue = "fifo,sfq",
            converter = PolicyConverter.class, description = "Scheduler: fifo, ioband, sfq (default: ${DEFAULT-VALUE})")
    List<Policy> policy;

    @Option(names = "--mode", split = ",", paramLabel = "MODE", defaultValue = "sync,aio",
            converter = ModeConverter.class, description = "Backend mode: sync, aio (default: ${DEFAULT-VALUE})")
    List<Mode> mode;

    @Option(names = "--duration", defaultValue = "3s", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Measured time per cell (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "1s", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Unmeasured time before each cell (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--prefill", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "TIME",
            description = "Random-write pass after each backend start, 32 outstanding per device; 0s for none "
                    + "(default: ${DEFAULT-VALUE})")
    Duration prefill;

    @Option(names = "--spin", defaultValue = "50us", converter = DurationConverter.class, paramLabel = "TIME",
            description = "How long each event loop of both processes polls after its last work before it sleeps "
                    + "(event-loops.spin); 0s sleeps at once (default: ${DEFAULT-VALUE})")
    Duration spin;

    @Option(names = "--curve", description = "Measure the scaling curve instead of the cells (table and PNG).")
    boolean curve;

    @Option(names = "--curve-devices", split = ",", paramLabel = "N", defaultValue = "1,2,4,8,16,32,64",
            description = "Device counts on the curve's devices axis (default: ${DEFAULT-VALUE})")
    List<Integer> curveDevices;

    @Option(names = "--curve-per-device", split = ",", paramLabel = "N", defaultValue = "1,32",
            description = "Requests outstanding per device on the devices axis, one line each (default: ${DEFAULT-VALUE})")
    List<Integer> curvePerDevice;

    @Option(names = "--curve-depths", split = ",", paramLabel = "N", defaultValue = "1,2,4,8,16,32,64,128,256",
            description = "In-flight counts of the curve on one device (default: ${DEFAULT-VALUE})")
    List<Integer> curveDepths;

    @Option(names = "--out", defaultValue = "results/bench", paramLabel = "DIR",
            description = "Backend configs and logs, and the curve's PNG (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON to FILE.")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "No live line per second on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        positive("--duration", duration);
        if (warmup.isNegative() || prefill.isNegative()) {
            throw usage("--warmup and --prefill must not be negative");
        }
        if (spin.isNegative() || spin.compareTo(EventLoopConfig.MAX_SPIN) > 0) {
            throw usage("--spin must be from 0s to " + Durations.format(EventLoopConfig.MAX_SPIN));
        }
        List<BenchPlan.Group> groups;
        try {
            groups = BenchPlan.expand(rw, outstanding, devices, policy, mode);
            if (curve) {
                BenchPlan.expand(List.of(Cell.Rw.RANDREAD), curveDepths, curveDevices, List.of(Policy.SFQ), List.of(Mode.AIO));
                BenchPlan.expand(List.of(Cell.Rw.RANDREAD), curvePerDevice, List.of(1), List.of(Policy.SFQ), List.of(Mode.AIO));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot create --out " + out + ": " + e.getMessage(), e));
        }
        Consumer<String> live = quiet ? null : line -> {
            err.println(line);
            err.flush();
        };
        BenchRunner runner = new BenchRunner(new BenchRunner.Settings(warmup, duration, prefill, spin, out, live));
        BenchReport.Machine machine = BenchReport.Machine.current();
        o.println("machine: " + machine.line());
        o.printf(Locale.ROOT, "setup: %s%n", setup());
        o.flush();
        if (curve) {
            return runCurve(runner, machine, o);
        }
        List<CellResult> cells = runner.run(groups, r -> { });
        o.print(BenchTable.cells(cells));
        String ratios = BenchTable.ratios(cells);
        if (!ratios.isEmpty()) {
            o.println();
            o.println("sfq against fifo, same cell:");
            o.print(ratios);
        }
        o.flush();
        writeJson(new BenchReport(machine, seconds(warmup), seconds(duration), setup(), cells,
                BenchReport.RatioRow.of(cells), null));
        return VblkMain.OK;
    }

    private int runCurve(BenchRunner runner, BenchReport.Machine machine, PrintWriter o) {
        List<Integer> devs = curveDevices.stream().distinct().sorted().toList();
        List<Integer> depths = curveDepths.stream().distinct().sorted().toList();
        List<Integer> perDevice = curvePerDevice.stream().distinct().sorted().toList();
        List<Cell> cells = new ArrayList<>();
        perDevice.forEach(q -> devs.forEach(d -> cells.add(new Cell(Cell.Rw.RANDREAD, q, d, Policy.SFQ, Mode.AIO))));
        depths.forEach(q -> cells.add(new Cell(Cell.Rw.RANDREAD, q, 1, Policy.SFQ, Mode.AIO)));
        int most = devs.isEmpty() ? 1 : devs.get(devs.size() - 1);
        List<CellResult> all = runner.curve(Policy.SFQ, Mode.AIO, most, cells, r -> { });
        int onDevicesAxis = devs.size() * perDevice.size();
        List<CellResult> byDevices = all.subList(0, onDevicesAxis);
        List<CellResult> byDepth = all.subList(onDevicesAxis, all.size());
        o.println("curve: 4 KiB randread, aio + sfq; devices axis " + perDevice.stream().map(String::valueOf)
                .collect(Collectors.joining(" and ")) + " outstanding per device, depth axis 1 device");
        o.print(BenchTable.curve(byDevices, byDepth));
        Path png;
        try {
            String subtitle = String.format(java.util.Locale.ROOT, "mode aio; policy sfq; %s warmup + %s per point; "
                    + "load average %.2f at the start; %s", io.vblk.config.Durations.format(warmup),
                    io.vblk.config.Durations.format(duration), machine.load1(), java.time.LocalDate.now());
            png = BenchCharts.curve(byDevices, byDepth, "vblk bench: 4 KiB randread, aio + sfq, RAM over loopback",
                    subtitle, out);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write the chart into " + out + ": " + e.getMessage(), e));
        }
        o.println("chart: " + png);
        o.flush();
        writeJson(new BenchReport(machine, seconds(warmup), seconds(duration), setup(), List.of(), List.of(),
                new BenchReport.Curve("randread", "sfq", "aio", byDevices, byDepth, png.toString())));
        return VblkMain.OK;
    }

    private String setup() {
        return String.format(Locale.ROOT, "RAM devices of %s, no disk model, loopback TCP, scheduler depth 64, "
                + "4 KiB requests, event loops spin %s; warmup %s + %s measured per cell", BenchRunner.DEVICE_SIZE,
                Durations.format(spin), Durations.format(warmup), Durations.format(duration));
    }

    private void writeJson(BenchReport report) {
        if (json == null) {
            return;
        }
        try {
            JsonReport.writeValue(report, json);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write --json " + json + ": " + e.getMessage(), e));
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private void positive(String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw usage(name + " must be positive");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Converts one value of a comma list to an enum constant by its lower-case label, naming the allowed ones. */
    abstract static class Choice<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
        private final E[] values;

        Choice(E[] values) {
            this.values = values;
        }

        @Override
        public E convert(String value) {
            for (E e : values) {
                if (e.name().equalsIgnoreCase(value.strip())) {
                    return e;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not allowed; allowed: "
                    + Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    static final class RwConverter extends Choice<Cell.Rw> {
        RwConverter() {
            super(Cell.Rw.values());
        }
    }

    static final class PolicyConverter extends Choice<Policy> {
        PolicyConverter() {
            super(Policy.values());
        }
    }

    static final class ModeConverter extends Choice<Mode> {
        ModeConverter() {
            super(Mode.values());
        }
    }
}
