package io.vblk.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.vblk.config.Durations;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.requestlog.RecordLog;
import io.vblk.requestlog.RunHeader;
import io.vblk.protocol.BlkConfig;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.DeviceResult;
import io.vblk.result.Interval;
import io.vblk.result.LoadResult;
import io.vblk.result.VerifySummary;
import io.vblk.result.WindowFigures;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs every load spec of a {@link LoadConfig} against one backend: attach, warm up, measure for the duration,
 * stop issuing, drain, report. Connections share one small event loop group; this thread only waits,
 * prints the live line and assembles the result.
 */
public final class LoadRunner {
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    /** Features this driver understands: a read-only device is refused writes here, blk_size is honoured. */
    static final long WANTED_FEATURES = VirtioBlk.bit(VirtioBlk.F_RO) | VirtioBlk.bit(VirtioBlk.F_BLK_SIZE);

    /**
     * @param live receives one status line per {@code statusInterval} while running, or null for none
     * @param seed seeds the devices' random streams, for repeatable offsets
     * @param requestLog where to write the frontend's request log (one GuestRecord per request), or null
     * @param windowListener told when the measured window opens and closes, or null
     * @param interval the length of the intervals the measured window's I/Os are counted in ({@code --interval});
     *                 zero for no series
     */
    public record Options(Duration warmup, Duration duration, Duration drainTimeout, Consumer<String> live, long seed,
                          java.nio.file.Path requestLog, boolean appendLog, WindowListener windowListener,
                          Duration statusInterval, Duration interval) {
        public Options(Duration warmup, Duration duration, Duration drainTimeout, Consumer<String> live, long seed,
                       java.nio.file.Path requestLog) {
            this(warmup, duration, drainTimeout, live, seed, requestLog, false, null, Duration.ofSeconds(1), Duration.ZERO);
        }

        public Options {
            if (warmup.isNegative()) {
                throw LoadException.usage("warmup must not be negative, got " + warmup);
            }
            if (duration.isNegative() || duration.isZero()) {
                throw LoadException.usage("duration must be positive, got " + duration);
            }
            // a live line more often than this floods the terminal and costs the run its own CPU
            if (statusInterval.compareTo(MIN_STATUS_INTERVAL) < 0) {
                throw LoadException.usage("--status-interval must be at least " + MIN_STATUS_INTERVAL.toMillis()
                        + "ms, got " + statusInterval.toMillis() + "ms");
            }
            checkInterval(interval, duration);
        }

        public static Options of(Duration warmup, Duration duration) {
            return new Options(warmup, duration, DRAIN_TIMEOUT, null, System.nanoTime(), null);
        }

        public Options withLive(Consumer<String> l) {
            return new Options(warmup, duration, drainTimeout, l, seed, requestLog, appendLog, windowListener, statusInterval, interval);
        }

        /** The frontend's request log; {@code append} adds this run to one that exists (refused otherwise). */
        public Options withRequestLog(java.nio.file.Path p, boolean append) {
            return new Options(warmup, duration, drainTimeout, live, seed, p, append, windowListener, statusInterval, interval);
        }

        public Options withWindowListener(WindowListener w) {
            return new Options(warmup, duration, drainTimeout, live, seed, requestLog, appendLog, w, statusInterval, interval);
        }

        /** Counts the measured I/Os per {@code every} too ({@link LoadResult#intervals()}); zero for no series. */
        public Options withInterval(Duration every) {
            return new Options(warmup, duration, drainTimeout, live, seed, requestLog, appendLog, windowListener,
                    statusInterval, every);
        }

        /** How often the live line is printed (fio's --status-interval). */
        public Options withStatusInterval(Duration every) {
            return new Options(warmup, duration, drainTimeout, live, seed, requestLog, appendLog, windowListener, every, interval);
        }
    }

    public static final Duration MIN_STATUS_INTERVAL = Duration.ofMillis(100);

    /**
     * An interval must be positive (zero is no series) and leave at most {@link Interval#MAX_INTERVALS} in the
     * window: each device keeps one counter per interval while the run lasts.
     */
    public static void checkInterval(Duration interval, Duration duration) {
        if (interval.isNegative()) {
            throw LoadException.usage("--interval must not be negative, got " + Durations.format(interval));
        }
        if (interval.isZero()) {
            return;
        }
        long n = (duration.toNanos() + interval.toNanos() - 1) / interval.toNanos();
        if (n > Interval.MAX_INTERVALS) {
            Duration least = Duration.ofNanos((duration.toNanos() + Interval.MAX_INTERVALS - 1) / Interval.MAX_INTERVALS);
            throw LoadException.usage("--interval " + Durations.format(interval) + " splits the "
                    + Durations.format(duration) + " window into " + n + " intervals, at most " + Interval.MAX_INTERVALS
                    + " are kept: give at least " + Durations.format(least) + ", or off");
        }
    }

    private final LoadConfig config;
    private final Options options;
    private final MeasureWindow window = new MeasureWindow();
    private final CompletableFuture<Void> failure = new CompletableFuture<>();
    // the host's load when the run started: other work on the machine skews every figure
    private final double loadAverageStart = loadAverage();

    public LoadRunner(LoadConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    /**
     * Runs to the end and returns the result; a result with problems (lost requests, verify mismatches) is a
     * failed run. Throws {@link LoadException} when the run cannot start or breaks off, and
     * {@link io.vblk.config.SettingException} when the token or trust file cannot be used.
     */
    public LoadResult run() {
        Target target = Target.parse(config.target());
        checkVerifiable();
        Access access = Access.of(config);
        InetSocketAddress address = target.resolve();
        Map<String, LedgerFile.Device> restored = ledgerPath() == null ? Map.of() : LedgerFile.read(ledgerPath());
        RecordLog log = openLog();
        EventLoopGroup group = ClientBootstrap.group(config.eventLoops().threadsOr(config.load().size() > 1 ? 2 : 1),
                config.eventLoops().spin());
        try {
            return run(group, target, address, access, log, restored);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            if (log != null) {
                log.close();
            }
        }
    }

    private RecordLog openLog() {
        if (options.requestLog() == null) {
            return null;
        }
        try {
            // the frontend has no backend mode: its processes' requests are what it issues, so "guest"
            return RecordLog.open(options.requestLog(), "guest", RunHeader.start("frontend", "guest", config),
                    options.appendLog());
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getMessage();
            throw LoadException.usage("--request-log " + options.requestLog() + ": " + why);
        }
    }

    private java.nio.file.Path ledgerPath() {
        return config.verifyLedger() == null ? null : java.nio.file.Path.of(config.verifyLedger());
    }

    private LoadResult run(EventLoopGroup group, Target target, InetSocketAddress address, Access access, RecordLog log,
                           Map<String, LedgerFile.Device> restored) {
        Bootstrap boot = ClientBootstrap.of(group);
        // the stats connection lives on the loop where the window boundaries run, so a query leaves at once
        EventLoop statsLoop = group.next();
        CompletableFuture<StatsClient> probe = StatsClient.connect(boot.clone(statsLoop), address, access);
        // asked as soon as it connects, not after the devices attached: a connection that says nothing for
        // limits.first-byte-timeout is taken for an NBD client at the wrong door and closed. A wrong token fails
        // here, before the run, and the backend counts the connection settled however long the run lasts
        CompletableFuture<BackendStats> asked = probe.thenCompose(StatsClient::query);
        List<CompletableFuture<VirtioClient>> attaching = new ArrayList<>();
        for (LoadSpec spec : config.load()) {
            attaching.add(VirtioClient.attach(boot, address, spec.device(), wantedFeatures(), access));
        }
        Duration setup = ClientBootstrap.CONNECT_TIMEOUT.plus(AttachHandler.TIMEOUT);
        List<DeviceLoad> loads = new ArrayList<>();
        try {
            SplittableRandom seeds = new SplittableRandom(options.seed());
            for (int i = 0; i < attaching.size(); i++) {
                VirtioClient client = await(attaching.get(i), setup, target);
                LoadSpec spec = config.load().get(i);
                loads.add(new DeviceLoad(spec, client, queueSize(i, client), config.verify(), seeds.nextLong(), window,
                        this::fail, log, restored.get(spec.device()), config.flushEvery(), config.verifyOnly()));
            }
            StatsClient stats = await(probe, setup, target);
            await(asked, REPLY_TIMEOUT, target);
            LoadResult result = config.verifyOnly() ? verifyOnly(loads, stats, target)
                    : measure(loads, stats, statsLoop, target);
            saveLedger(loads, restored);
            return result;
        } catch (RuntimeException e) {
            // the run broke off (the backend may have been killed): what was acknowledged and flushed so far
            // is exactly what a crash test needs, so the ledger is written now
            try {
                saveLedger(loads, restored);
            } catch (RuntimeException s) {
                e.addSuppressed(s);
            }
            throw e;
        } finally {
            // connections not yet attached or connected here close with the group
            loads.forEach(l -> l.client().close());
            loads.forEach(DeviceLoad::release);
            probe.thenAccept(StatsClient::close);
        }
    }

    private LoadResult measure(List<DeviceLoad> loads, StatsClient stats, EventLoop statsLoop, Target target) {
        CompletableFuture<BackendStats> atStart = new CompletableFuture<>();
        CompletableFuture<BackendStats> atEnd = new CompletableFuture<>();
        long t0 = System.nanoTime();
        long warmupEnd = t0 + options.warmup().toNanos();
        long windowEnd = warmupEnd + options.duration().toNanos();
        WindowListener listener = options.windowListener();
        Runnable close = () -> {
            window.close(System.nanoTime());
            if (listener != null) {
                listener.closed();
            }
            forward(stats.query(), atEnd);
            loads.forEach(l -> l.client().eventLoop().execute(l::stop));
        };
        statsLoop.schedule(() -> {
            window.open(System.nanoTime());
            if (listener != null) {
                listener.opened();
            }
            forward(stats.query(), atStart);
            // timed from the instant it opened: a loop that ran the opening late must not shorten the window
            statsLoop.schedule(close, options.duration().toNanos(), TimeUnit.NANOSECONDS);
        }, warmupEnd - t0, TimeUnit.NANOSECONDS);
        if (!options.interval().isZero()) {
            loads.forEach(l -> l.countIntervals(new IntervalCounts(options.interval().toNanos(), options.duration().toNanos())));
        }
        loads.forEach(l -> l.client().eventLoop().execute(l::start));

        LiveLine live = options.live() == null ? null : new LiveLine(loads, options.live(), t0, warmupEnd);
        long deadline = windowEnd + REPLY_TIMEOUT.toNanos();
        long every = options.statusInterval().toNanos();
        for (long tick = t0 + every; !waitFor(atEnd, Math.min(tick, deadline), target); tick += every) {
            if (System.nanoTime() >= deadline) {
                throw LoadException.runFailed("backend at " + target + " did not answer the stats query within "
                        + REPLY_TIMEOUT.toSeconds() + "s");
            }
            if (live != null) {
                live.print(System.nanoTime());
            }
        }
        CompletableFuture<Void> allDrained = CompletableFuture.allOf(
                loads.stream().map(DeviceLoad::drained).toArray(CompletableFuture[]::new));
        waitFor(allDrained, System.nanoTime() + options.drainTimeout().toNanos(), target);
        BackendStats start = await(atStart, REPLY_TIMEOUT, target);
        BackendStats end = await(atEnd, REPLY_TIMEOUT, target);
        List<DeviceTally> tallies = new ArrayList<>();
        for (DeviceLoad l : loads) {
            tallies.add(await(CompletableFuture.supplyAsync(l::tally, l.client().eventLoop()), REPLY_TIMEOUT, target));
        }
        return result(tallies, start, end, (window.end() - window.start()) / 1e9);
    }

    /**
     * Reads back every block the ledger records as flushed, once, and checks it; no writes. Bounded by the
     * run's duration plus the drain timeout: what is still in flight then is reported lost.
     */
    private LoadResult verifyOnly(List<DeviceLoad> loads, StatsClient stats, Target target) {
        BackendStats start = await(stats.query(), REPLY_TIMEOUT, target);
        window.open(System.nanoTime());
        loads.forEach(l -> l.client().eventLoop().execute(l::start));
        CompletableFuture<Void> allDrained = CompletableFuture.allOf(
                loads.stream().map(DeviceLoad::drained).toArray(CompletableFuture[]::new));
        waitFor(allDrained, System.nanoTime() + options.duration().plus(options.drainTimeout()).toNanos(), target);
        window.close(System.nanoTime());
        BackendStats end = await(stats.query(), REPLY_TIMEOUT, target);
        List<DeviceTally> tallies = new ArrayList<>();
        for (DeviceLoad l : loads) {
            tallies.add(await(CompletableFuture.supplyAsync(() -> {
                l.stop();
                return l.tally();
            }, l.client().eventLoop()), REPLY_TIMEOUT, target));
        }
        return result(tallies, start, end, (window.end() - window.start()) / 1e9);
    }

    /** Writes the verify ledger, when there is one to write: the earlier run's, updated by this run's devices. */
    private void saveLedger(List<DeviceLoad> loads, Map<String, LedgerFile.Device> restored) {
        if (ledgerPath() == null || config.verifyOnly()) {
            return;
        }
        Map<String, LedgerFile.Device> devices = new java.util.LinkedHashMap<>(restored);
        for (DeviceLoad l : loads) {
            try {
                devices.put(l.name(), CompletableFuture.supplyAsync(l::ledgerRecord, l.client().eventLoop())
                        .get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw LoadException.runFailed("cannot read the verify ledger of device '" + l.name() + "': " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LoadException.runFailed("interrupted while saving the verify ledger");
            }
        }
        try {
            LedgerFile.write(ledgerPath(), devices);
        } catch (java.io.IOException e) {
            throw LoadException.runFailed("cannot write the verify ledger " + ledgerPath() + ": " + e.getMessage());
        }
    }

    private LoadResult result(List<DeviceTally> tallies, BackendStats start, BackendStats end, double seconds) {
        long allIos = tallies.stream().mapToLong(DeviceTally::ios).sum();
        List<DeviceResult> devices = new ArrayList<>();
        Histogram all = new Histogram(3);
        long bytes = 0;
        long errors = 0;
        int weights = 0;
        long lost = 0;
        long checked = 0;
        long checkedBytes = 0;
        long skipped = 0;
        long mismatches = 0;
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (DeviceTally t : tallies) {
            int weight = weightOf(start, t.device());
            devices.add(DeviceResult.of(t.device(), weight, t.ios(), t.bytes(), t.errors(), t.latency(), seconds, allIos));
            all.add(t.latency());
            bytes += t.bytes();
            errors += t.errors();
            weights += weight;
            lost += t.inFlight();
            checked += t.checked();
            checkedBytes += t.checkedBytes();
            skipped += t.skipped();
            mismatches += t.mismatches();
            notes.addAll(t.mismatchNotes());
            if (t.inFlight() > 0) {
                problems.add("device '" + t.device() + "': " + t.inFlight() + " requests still outstanding "
                        + Durations.format(options.drainTimeout()) + " after the end (lost)");
            }
        }
        if (mismatches > 0) {
            problems.add("verify: " + mismatches + " of " + checked + " checked reads did not match the last write");
        }
        DeviceResult total = DeviceResult.of("total", weights, allIos, bytes, errors, all, seconds, allIos);
        VerifySummary verify = config.verify() ? new VerifySummary(true, checked, checkedBytes, skipped, mismatches, notes) : VerifySummary.OFF;
        Map<String, Integer> processes = new java.util.LinkedHashMap<>();
        config.load().forEach(spec -> processes.merge(spec.device(), spec.processes(), Integer::sum));
        return new LoadResult(seconds, devices, total, start, end, WindowFigures.of(start, end, processes),
                loadAverageStart, loadAverage(), verify, lost, problems, intervals(tallies));
    }

    /** The window's series, a device's load entries summed; empty when the run kept none. */
    private List<Interval> intervals(List<DeviceTally> tallies) {
        if (tallies.isEmpty() || tallies.get(0).intervalIos() == null) {
            return List.of();
        }
        Map<String, long[]> byDevice = new java.util.LinkedHashMap<>();
        for (DeviceTally t : tallies) {
            long[] sum = byDevice.computeIfAbsent(t.device(), d -> new long[t.intervalIos().length]);
            for (int k = 0; k < sum.length; k++) {
                sum[k] += t.intervalIos()[k];
            }
        }
        return Interval.series(options.interval().toNanos(), window.end() - window.start(),
                List.copyOf(byDevice.keySet()), List.copyOf(byDevice.values()));
    }

    /** The host's 1-minute load average, or -1 where the platform has none. */
    public static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A backend without F_FLUSH negotiated refuses FLUSH, so it is asked for only when this run flushes. */
    private long wantedFeatures() {
        return config.flushEvery() == null ? WANTED_FEATURES : WANTED_FEATURES | VirtioBlk.bit(VirtioBlk.F_FLUSH);
    }

    /** The descriptors a spec may use: the device's queue size, or the spec's own if that is smaller. */
    private int queueSize(int index, VirtioClient client) {
        LoadSpec spec = config.load().get(index);
        BlkConfig c = client.config();
        String at = "load[" + index + "] (device '" + spec.device() + "'): ";
        long blockBytes = spec.blockSize().bytes();
        if (VirtioBlk.has(client.offeredFeatures(), VirtioBlk.F_RO)
                && new BlockPicker(spec.pattern(), spec.readPercent(), (int) blockBytes, Long.MAX_VALUE).writes()) {
            throw LoadException.usage(at + "the device is read-only but pattern " + label(spec) + " writes");
        }
        if (config.flushEvery() != null && !VirtioBlk.has(client.features(), VirtioBlk.F_FLUSH)) {
            throw LoadException.usage(at + "flush-every needs F_FLUSH, which the device does not offer");
        }
        if (blockBytes > c.maxTransfer()) {
            throw LoadException.usage(at + "block-size " + blockBytes + " exceeds the device's largest transfer of "
                    + c.maxTransfer() + " bytes");
        }
        if (VirtioBlk.has(client.offeredFeatures(), VirtioBlk.F_BLK_SIZE) && c.blkSize() > 0 && blockBytes % c.blkSize() != 0) {
            throw LoadException.usage(at + "block-size " + blockBytes + " is not a multiple of the device's block size "
                    + c.blkSize());
        }
        long blocks = c.capacity() / (blockBytes / VirtioBlk.SECTOR_SIZE);
        if (blocks < 1) {
            throw LoadException.usage(at + "the device's " + c.capacity() + " sectors hold no block of " + blockBytes + " bytes");
        }
        if (config.verify() && blocks <= spec.processes()) {
            throw LoadException.usage(at + "verify needs more blocks (" + blocks + ") than processes (" + spec.processes() + ")");
        }
        if (c.queueSize() < 1) {
            throw LoadException.runFailed(at + "the backend offers a queue of " + c.queueSize() + " descriptors");
        }
        return spec.queueSize() == null ? c.queueSize() : Math.min(spec.queueSize(), c.queueSize());
    }

    /** Verify tracks each device in one place, so a device may appear in only one spec. */
    private void checkVerifiable() {
        if (config.verifyOnly() && config.verifyLedger() == null) {
            throw LoadException.usage("verify-only needs verify-ledger: the file naming the flushed blocks to check");
        }
        if (!config.verify()) {
            return;
        }
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < config.load().size(); i++) {
            Integer before = first.putIfAbsent(config.load().get(i).device(), i);
            if (before != null) {
                throw LoadException.usage("load[" + i + "]: verify needs each device listed once; '"
                        + config.load().get(i).device() + "' is also load[" + before + "]");
            }
        }
    }

    private static String label(LoadSpec spec) {
        return spec.pattern().name().toLowerCase(Locale.ROOT);
    }

    private static int weightOf(BackendStats stats, String device) {
        for (DeviceStats d : stats.devices()) {
            if (d.name().equals(device)) {
                return d.weight();
            }
        }
        return 0;
    }

    private void fail(String reason) {
        failure.completeExceptionally(LoadException.runFailed(reason));
    }

    /** Passes an answer on; a failed query fails the run at once rather than after the window. */
    private <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(e);
                failure.completeExceptionally(e);
            } else {
                to.complete(v);
            }
        });
    }

    /** Waits until {@code f} is done (true) or {@code deadline} passes (false); a run failure is thrown at once. */
    private boolean waitFor(CompletableFuture<?> f, long deadline, Target target) {
        try {
            CompletableFuture.anyOf(f, failure).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw describe(e.getCause(), target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LoadException.runFailed("interrupted");
        }
        return true;
    }

    private <T> T await(CompletableFuture<T> f, Duration timeout, Target target) {
        if (!waitFor(f, System.nanoTime() + timeout.toNanos(), target)) {
            throw LoadException.runFailed("no answer from the backend at " + target + " within " + timeout.toSeconds() + "s");
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw describe(e.getCause(), target);
        }
    }

    /** One line for a person: what went wrong talking to {@code target}. */
    static LoadException describe(Throwable t, Target target) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof LoadException) {
            return (LoadException) c;
        }
        if (c instanceof ConnectTimeoutException) {
            return LoadException.runFailed("cannot connect to " + target + ": no answer within "
                    + ClientBootstrap.CONNECT_TIMEOUT.toSeconds() + "s");
        }
        String message = String.valueOf(c.getMessage());
        if (c instanceof ConnectException) {
            String why = message.contains("Connection refused") ? "connection refused (is the backend running?)" : message;
            return LoadException.runFailed("cannot connect to " + target + ": " + why);
        }
        return LoadException.runFailed("connection to " + target + " failed: " + message);
    }
}
