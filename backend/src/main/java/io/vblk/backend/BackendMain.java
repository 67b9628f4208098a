package io.vblk.backend;

import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigException;
import io.vblk.config.ConfigLoader;
import io.vblk.config.Mode;
import io.vblk.config.SettingException;
import io.vblk.config.Durations;
import io.vblk.config.Version;
import io.vblk.result.Units;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code vblk backend}: serve the configured devices until SIGTERM or Ctrl-C, then drain and exit 0. */
@Command(name = "vblk backend", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Serve virtio-blk style devices over TCP (loopback unless the config says otherwise).",
        footer = {"", "Exit codes: 0 stopped by SIGTERM or Ctrl-C and drained, 1 the run failed,",
                "2 a usage or configuration mistake."})
public final class BackendMain implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "backend YAML config")
    Path config;

    @Option(names = "--mode", paramLabel = "sync|aio", description = "overrides the config's mode")
    String mode;

    @Option(names = "--port", paramLabel = "N", description = "overrides the config's port (0 = ephemeral)")
    Integer port;

    @Option(names = "--nbd-port", paramLabel = "N", description = "serves NBD on this port too (0 = ephemeral); overrides nbd.port")
    Integer nbdPort;

    @Option(names = "--progress", description = "print a status line on stderr every --status-interval")
    boolean progress;

    @Option(names = "--status-interval", paramLabel = "TIME", defaultValue = "1s",
            description = "how often --progress prints its line, e.g. 500ms (default: ${DEFAULT-VALUE})")
    String statusInterval;

    @Option(names = "--request-log", paramLabel = "PATH", description = "write one JSON line per request (overrides log.requests)")
    String requestLog;

    @Option(names = "--append", description = "add this run to an existing request log (refused otherwise)")
    boolean append;

    private final CountDownLatch stop = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(new CommandLine(new BackendMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        BackendConfig cfg;
        Duration every;
        try {
            every = Durations.parse(statusInterval);
        } catch (IllegalArgumentException e) {
            err.println("vblk backend: --status-interval: " + e.getMessage());
            return 2;
        }
        try {
            cfg = ConfigLoader.backend(config);
            if (mode != null) {
                cfg = cfg.withMode(parseMode(mode));
            }
            if (port != null) {
                cfg = cfg.withPort(port);
            }
            if (nbdPort != null) {
                cfg = cfg.withNbdPort(nbdPort);
            }
            if (requestLog != null || append) {
                cfg = cfg.withRequestLog(requestLog != null ? requestLog : cfg.log().requests(), append);
            }
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        Backend backend;
        try {
            backend = Backend.start(cfg);
        } catch (SettingException e) {
            err.println(e.in(config).getMessage());
            return 2;
        } catch (Backend.DeviceOpenException e) {
            String path = "devices[" + e.device + "].store";
            err.println(new ConfigException.Located(config.toString(),
                    ConfigLoader.lineOf(ConfigLoader.text(config), path), path, e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("vblk backend: " + e.getMessage());
            return 1;
        }
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        var a = backend.address();
        // before the data door's line: whoever waits for that line has the admin endpoint's by then
        var admin = backend.adminAddress();
        if (admin != null) {
            System.out.println("vblk admin listening on " + admin.getHostString() + ":" + admin.getPort());
        }
        System.out.println("vblk backend listening on " + a.getHostString() + ":" + a.getPort());
        var n = backend.nbdAddress();
        if (n != null) {
            System.out.println("vblk nbd listening on " + n.getHostString() + ":" + n.getPort() + " (exports: "
                    + String.join(", ", backend.deviceNames()) + ")");
        }
        backend.vhostSockets().forEach((device, socket) ->
                System.out.println("vblk vhost-user " + device + " listening on " + socket));
        System.out.flush();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vblk-progress");
            t.setDaemon(true);
            return t;
        });
        if (progress) {
            ProgressLine line = new ProgressLine(backend);
            ticker.scheduleAtFixedRate(() -> err.println(line.next()), every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
        }
        stop.await();
        ticker.shutdownNow();
        backend.close();
        printSummary(err, backend.stats());
        return 0;
    }

    private static Mode parseMode(String m) {
        return switch (m.toLowerCase(Locale.ROOT)) {
            case "sync" -> Mode.SYNC;
            case "aio" -> Mode.AIO;
            default -> throw new ConfigException(List.of(new ConfigException.Located("--mode", 0, "",
                    "'" + m + "' is not allowed; allowed: sync, aio")));
        };
    }

    static void printSummary(PrintStream out, BackendStats s) {
        out.println("vblk backend: final counters (policy " + s.policy() + ", depth " + s.depth() + ")");
        out.printf("%-12s %6s %5s %12s %12s %8s %14s %15s%n", "device", "weight", "mode", "received", "completed",
                "errors", "data (MiB)", "peak in service");
        for (DeviceStats d : s.devices()) {
            out.printf(Locale.ROOT, "%-12s %6d %5s %12d %12d %8d %14s %15d%n", d.name(), d.weight(), d.mode(), d.received(),
                    d.completed(), d.errors(), Units.mib(d.bytes()), d.peakInService());
        }
    }

    /** Per second: completions per device since the last line, and the device's share of them. */
    static final class ProgressLine {
        private final Backend backend;
        private final long start = System.nanoTime();
        private long[] last;

        ProgressLine(Backend backend) {
            this.backend = backend;
        }

        String next() {
            List<DeviceStats> ds = backend.stats().devices();
            long[] now = ds.stream().mapToLong(DeviceStats::completed).toArray();
            long[] prev = last == null ? new long[now.length] : last;
            last = now;
            long total = 0;
            for (int i = 0; i < now.length; i++) {
                total += now[i] - prev[i];
            }
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs]", (System.nanoTime() - start) / 1e9));
            for (int i = 0; i < now.length; i++) {
                long d = now[i] - prev[i];
                b.append(String.format(Locale.ROOT, " | %s %d I/Os %.1f%% peak in service %d", ds.get(i).name(), d,
                        total == 0 ? 0.0 : 100.0 * d / total, ds.get(i).peakInService()));
            }
            return b.toString();
        }
    }
}
