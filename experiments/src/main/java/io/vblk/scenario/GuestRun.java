package io.vblk.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vblk.config.ConfigLoader;
import io.vblk.config.DeviceConfig;
import io.vblk.config.GuestSpec;
import io.vblk.guest.GuestImage;
import io.vblk.guest.GuestTools;
import io.vblk.guest.GuestVm;
import io.vblk.load.LoadRunner;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceResult;
import io.vblk.result.LoadResult;
import io.vblk.result.VerifySummary;
import io.vblk.result.WindowFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One run of a variant with real guests: the backend gets a vhost-user socket for each guest disk, each guest
 * boots under QEMU and starts its processes; the simulated processes (if any) start then, with the same
 * warm-up and window. The guest's own counts of its window become its disks' results, as a simulated
 * process's counts do; they are checked against the backend's counters and the guest kernel's
 * {@code /sys/block} counts, and a run whose counts disagree fails.
 */
final class GuestRun {
    private GuestRun() {}

    /** Counts of one window may differ at its edges by the requests then in service, and by this fraction. */
    static final double COUNT_TOLERANCE = 0.05;

    /** Checks the host first: what is missing stops the experiment before any backend starts. */
    static Prepared prepare(Path cache) throws IOException {
        GuestTools tools = GuestTools.find();
        GuestImage image = GuestImage.prepare(tools, cache);
        return new Prepared(tools, image, GuestVm.accel(tools, image));
    }

    record Prepared(GuestTools tools, GuestImage image, String accel) {}

    /** The backend's YAML with a socket for every guest disk (in {@code sockets}, a short path: sun_path is 108 bytes). */
    static String backendYaml(Scenario.Variant v, Path sockets) {
        ObjectNode tree = (ObjectNode) ConfigLoader.tree(v.backendYaml(), v.label());
        for (JsonNode d : tree.withArray("devices")) {
            String name = d.path("name").asText();
            if (v.guests().stream().anyMatch(g -> g.devices().contains(name))) {
                ((ObjectNode) d).putObject("vhost-user").put("socket", sockets.resolve(name + ".sock").toString());
            }
        }
        return ConfigLoader.toYaml(tree);
    }

    static LoadResult run(Prepared p, Scenario.Variant v, BackendProcess backend, Path sockets, Duration warmup,
                          Duration duration, Path workDir, String name, Consumer<String> live) throws IOException {
        Consumer<String> progress = live == null ? line -> { } : live;
        Map<String, Path> socketOf = new LinkedHashMap<>();
        Map<String, Integer> queues = new LinkedHashMap<>();
        for (DeviceConfig d : v.backend().devices()) {
            socketOf.put(d.name(), sockets.resolve(d.name() + ".sock"));
            queues.put(d.name(), d.queues());
        }
        List<GuestVm> vms = new ArrayList<>();
        CompletableFuture<LoadResult> simulated = null;
        try {
            for (GuestSpec g : v.guests()) {
                vms.add(GuestVm.start(g, p.tools(), p.image(), p.accel(), socketOf, queues, warmup, duration, workDir,
                        name, progress));
            }
            for (GuestVm vm : vms) {
                vm.awaitStarted();
            }
            double loadAverageStart = LoadRunner.loadAverage();
            if (!v.load().load().isEmpty()) {
                LoadRunner.Options options = LoadRunner.Options.of(warmup, duration);
                if (live != null) {
                    options = options.withLive(live);
                }
                LoadRunner runner = new LoadRunner(v.load().withTarget(backend.target()), options);
                simulated = CompletableFuture.supplyAsync(runner::run);
            }
            GuestVm first = vms.get(0);
            first.awaitOpened(warmup);
            BackendStats start = backend.stats();
            progress.accept(first.spec().name() + ": window open");
            first.awaitClosed(duration);
            BackendStats end = backend.stats();
            progress.accept(first.spec().name() + ": window closed");
            Map<String, GuestVm.DiskTally> tallies = new LinkedHashMap<>();
            for (GuestVm vm : vms) {
                List<GuestVm.DiskTally> disks = vm.awaitDone();
                for (int i = 0; i < disks.size(); i++) {
                    tallies.put(vm.spec().devices().get(i), disks.get(i));
                }
            }
            LoadResult sim = null;
            if (simulated != null) {
                try {
                    sim = simulated.join();
                } catch (CompletionException e) {
                    throw new IOException("the simulated processes failed: " + e.getCause().getMessage(), e.getCause());
                }
                // one window for every figure: the simulated run's, which the guest's edges bracket closely
                start = sim.backendStart();
                end = sim.backendEnd();
            }
            return result(v, tallies, sim, start, end, duration, loadAverageStart);
        } finally {
            vms.forEach(GuestVm::close);
            if (simulated != null) {
                simulated.exceptionally(e -> null).join();
            }
        }
    }

    private static LoadResult result(Scenario.Variant v, Map<String, GuestVm.DiskTally> tallies, LoadResult sim,
                                     BackendStats start, BackendStats end, Duration duration, double loadAverageStart) {
        double seconds = duration.toNanos() / 1e9;
        long guestIos = tallies.values().stream().mapToLong(GuestVm.DiskTally::ios).sum();
        long allIos = guestIos + (sim == null ? 0 : sim.total().ios());
        List<String> problems = new ArrayList<>(sim == null ? List.of() : sim.problems());
        Map<String, DeviceResult> byName = new LinkedHashMap<>();
        Histogram all = new Histogram(3);
        long bytes = 0;
        long errors = 0;
        for (Map.Entry<String, GuestVm.DiskTally> e : tallies.entrySet()) {
            GuestVm.DiskTally t = e.getValue();
            Histogram h = new Histogram(3);
            // a bucket spans a quarter of its power of two above its floor: its middle stands for it
            t.latencyBuckets().forEach((floor, count) -> h.recordValueWithCount(floor + Math.max(0, floor / 8), count));
            all.add(h);
            byName.put(e.getKey(), DeviceResult.of(e.getKey(), ExperimentRunner.weightOf(v, e.getKey()), t.ios(), t.bytes(), t.errors(), h,
                    seconds, allIos));
            bytes += t.bytes();
            errors += t.errors();
            check(e.getKey(), t, start, end, v, problems);
        }
        if (sim != null) {
            for (DeviceResult d : sim.devices()) {
                byName.put(d.name(), new DeviceResult(d.name(), d.weight(), d.ios(), allIos == 0 ? 0 : (double) d.ios() / allIos,
                        d.iops(), d.mbps(), d.errors(), d.latencyUs()));
            }
            bytes += (long) (sim.total().mbps() * 1e6 * sim.durationSeconds());
            errors += sim.total().errors();
        }
        List<DeviceResult> devices = new ArrayList<>();
        for (String n : v.devices()) {
            devices.add(byName.get(n));
        }
        int weights = devices.stream().mapToInt(DeviceResult::weight).sum();
        DeviceResult total = DeviceResult.of("total", weights, allIos, bytes, errors, all, seconds, allIos);
        if (sim != null) {
            total = new DeviceResult("total", weights, allIos, 1, allIos / seconds, bytes / seconds / 1e6, errors,
                    sim.total().latencyUs());
        }
        Map<String, Integer> processes = new LinkedHashMap<>();
        v.load().load().forEach(s -> processes.merge(s.device(), s.processes(), Integer::sum));
        v.guests().forEach(g -> g.devices().forEach(d -> processes.merge(d, g.processes(), Integer::sum)));
        return new LoadResult(seconds, devices, total, start, end, WindowFigures.of(start, end, processes),
                loadAverageStart, LoadRunner.loadAverage(), VerifySummary.OFF, 0, problems);
    }

    /**
     * The guest's count of its window against the backend's counters over the same window and against the
     * guest kernel's completed requests: the edges are read a moment apart, so each may differ by the
     * requests then in service, plus a few per cent.
     */
    private static void check(String device, GuestVm.DiskTally t, BackendStats start, BackendStats end,
                              Scenario.Variant v, List<String> problems) {
        long backend = end.device(device).completed() - start.device(device).completed();
        int slack = v.guests().stream().filter(g -> g.devices().contains(device)).mapToInt(GuestSpec::processes).sum();
        for (long other : new long[] {backend, t.kernelCompleted()}) {
            long allowed = (long) (COUNT_TOLERANCE * Math.max(t.ios(), other)) + 2L * slack;
            if (Math.abs(other - t.ios()) > allowed) {
                problems.add(String.format("device '%s': the guest counted %d I/Os in its window, %s %d (more apart "
                        + "than the %d its edges allow)", device, t.ios(), other == backend ? "the backend's counters"
                        : "the guest kernel's /sys/block", other, allowed));
            }
        }
    }

    /** A short folder for the sockets: a unix socket's path holds at most 107 bytes. */
    static Path socketFolder() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "vblk-vu");
    }
}
