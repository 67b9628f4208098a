package io.vblk.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import io.vblk.config.DeviceConfig;
import io.vblk.config.DiskConfig;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Mode;
import io.vblk.load.LoadRunner;
import io.vblk.report.FeasibleShare;
import io.vblk.result.LoadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A variant's feasible shares ({@link FeasibleShare}) from its configuration: each driven device's concurrency
 * from its mode and load, its service time alone and the disk's slots from the emulated disk's model, or, with
 * no emulated disk, from a short calibration run against a backend of the same devices.
 */
final class Feasibility {
    private Feasibility() {}

    /**
     * Calibration: all devices at once for TOGETHER after FIRST_WARMUP unmeasured, which also warms up both
     * JVMs (a cold one measures its compiler, not the store), then each alone for ALONE after WARMUP.
     */
    static final Duration FIRST_WARMUP = Duration.ofSeconds(2);
    static final Duration WARMUP = Duration.ofMillis(500);
    static final Duration ALONE = Duration.ofMillis(500);
    static final Duration TOGETHER = Duration.ofSeconds(1);

    /**
     * The most requests the backend lets a device have in service: each load entry is one connection on
     * virtqueue 0, which a sync device serves one request at a time and an aio device up to the least of
     * the entry's processes, its queue and max-in-service.
     */
    static int concurrency(Scenario.Variant v, String device) {
        BackendConfig b = v.backend();
        DeviceConfig d = deviceConfig(v, device);
        int c = 0;
        for (LoadSpec s : specs(v, device)) {
            int queue = s.queueSize() == null ? d.queueSize() : Math.min(s.queueSize(), d.queueSize());
            c += b.modeOf(d) == Mode.SYNC ? 1 : Math.min(s.processes(), Math.min(queue, b.inServiceLimit(d)));
        }
        return c;
    }

    /** From the emulated disk's model; null when the variant has none. */
    static FeasibleShare.Model ofDisk(Scenario.Variant v, List<String> names) {
        DiskConfig disk = v.backend().disk();
        if (disk == null) {
            return null;
        }
        ToDoubleFunction<String> service = n -> specs(v, n).stream()
                .mapToDouble(s -> disk.serviceNanos(s.blockSize().bytes()) / 1e9).average().orElseThrow();
        return FeasibleShare.model(String.format(Locale.ROOT, "disk model %d x %s", disk.parallelism(),
                io.vblk.config.Durations.format(disk.serviceTime())), demands(v, names, service), disk.parallelism());
    }

    /**
     * With an emulated disk its model; without one, a calibration against a fresh backend of the variant's
     * devices in aio mode under fifo (so that neither the mode nor the weights limit it): every device with
     * its load's processes at once gives the capacity (total IOPS), then each device alone with one process
     * its service time (1 / IOPS: a whole round trip, the backend's and the store's work for one request with
     * nothing else waiting); the capacity is {@code capacity x mean service time} slots.
     */
    static FeasibleShare.Model of(Scenario.Variant v, List<String> names, Path workDir, String name) throws IOException {
        FeasibleShare.Model model = ofDisk(v, names);
        if (model != null) {
            return model;
        }
        ObjectNode tree = (ObjectNode) ConfigLoader.tree(v.backendYaml(), name);
        tree.put("mode", "aio");
        tree.remove("max-in-service");
        ObjectNode scheduler = tree.has("scheduler") ? (ObjectNode) tree.get("scheduler") : tree.putObject("scheduler");
        scheduler.put("policy", "fifo");
        tree.withArray("devices").forEach(d -> ((ObjectNode) d).remove("mode"));
        Map<String, Double> alone = new java.util.LinkedHashMap<>();
        double capacity;
        try (BackendProcess backend = BackendProcess.start(ConfigLoader.toYaml(tree), workDir, name + "-calibration", null)) {
            List<LoadSpec> all = names.stream().flatMap(n -> specs(v, n).stream()).toList();
            capacity = run(v, backend, all, FIRST_WARMUP, TOGETHER).total().iops();
            for (String n : names) {
                LoadSpec s = specs(v, n).get(0);
                LoadSpec one = new LoadSpec(n, 1, s.pattern(), s.readPercent(), s.blockSize(), s.queueSize());
                alone.put(n, run(v, backend, List.of(one), WARMUP, ALONE).device(n).iops());
            }
        }
        for (Map.Entry<String, Double> e : alone.entrySet()) {
            if (!(e.getValue() > 0)) {
                throw new IOException("calibration: " + e.getKey() + " completed nothing alone");
            }
        }
        double meanService = alone.values().stream().mapToDouble(iops -> 1 / iops).average().orElseThrow();
        return FeasibleShare.model(String.format(Locale.ROOT, "calibrated (no emulated disk; aio fifo backend, all "
                + "together %s after %s: %.0f IOPS, %.1f slots; then each device alone with 1 process %s for its "
                + "service time)", io.vblk.config.Durations.format(TOGETHER), io.vblk.config.Durations.format(FIRST_WARMUP),
                capacity,
                capacity * meanService, io.vblk.config.Durations.format(ALONE)), demands(v, names, n -> 1 / alone.get(n)),
                capacity * meanService);
    }

    private static LoadResult run(Scenario.Variant v, BackendProcess backend, List<LoadSpec> specs, Duration warmup,
                                  Duration d) {
        LoadConfig l = v.load();
        LoadConfig c = new LoadConfig(backend.target(), false, l.authTokenFile(), l.tls(), specs, null, null, null,
                l.eventLoops());
        return new LoadRunner(c, LoadRunner.Options.of(warmup, d)).run();
    }

    private static List<FeasibleShare.Demand> demands(Scenario.Variant v, List<String> names,
                                                      ToDoubleFunction<String> service) {
        List<FeasibleShare.Demand> out = new ArrayList<>();
        for (String n : names) {
            out.add(new FeasibleShare.Demand(n, deviceConfig(v, n).weight(), concurrency(v, n), service.applyAsDouble(n)));
        }
        return out;
    }

    /**
     * The load entries on {@code device}; a guest's disk counts as one entry per virtqueue, its processes
     * spread over them, on QEMU's default ring of 128 descriptors.
     */
    static List<LoadSpec> specs(Scenario.Variant v, String device) {
        List<LoadSpec> out = new ArrayList<>(v.load().load().stream().filter(s -> s.device().equals(device)).toList());
        for (io.vblk.config.GuestSpec g : v.guests()) {
            if (g.devices().contains(device)) {
                int queues = deviceConfig(v, device).queues();
                for (int q = 0; q < queues; q++) {
                    out.add(new LoadSpec(device, (g.processes() + queues - 1) / queues, g.pattern(), g.readPercent(),
                            g.blockSize(), QEMU_RING));
                }
            }
        }
        return out;
    }

    /** QEMU's vhost-user-blk-pci queue-size: a guest's virtqueue holds this many requests. */
    static final int QEMU_RING = 128;

    private static DeviceConfig deviceConfig(Scenario.Variant v, String device) {
        return v.backend().devices().stream().filter(d -> d.name().equals(device)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + device + " in the backend"));
    }
}
