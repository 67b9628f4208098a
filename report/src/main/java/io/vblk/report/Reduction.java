package io.vblk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import io.vblk.result.LoadResult;
import io.vblk.result.DeviceResult;
import io.vblk.result.Latency;
import io.vblk.result.WindowFigures;

/**
 * Reduces the runs of one variant (or the one run of {@code vblk load}) to a {@link VariantResult}: each run's
 * own figures ({@link RunFigures}), the figures averaged over them, the spread of shares, the host's verdict and
 * the explanation.
 */
public final class Reduction {
    private Reduction() {}

    /**
     * @param names the driven devices, in the order to report them
     * @param weightOf each device's weight; weight shares count only {@code names}
     * @param feasible the devices' feasible shares, or null when the variant has no model of its disk
     */
    public static VariantResult of(String label, Map<String, String> keys, String mode, String policy, List<String> names,
                                   ToIntFunction<String> weightOf, List<LoadResult> runs, FeasibleShare.Model feasible) {
        double weightSum = names.stream().mapToDouble(weightOf::applyAsInt).sum();
        ToDoubleFunction<String> weightShareOf = name -> weightSum == 0 ? 0 : weightOf.applyAsInt(name) / weightSum;
        List<RunFigures> perRun = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            perRun.add(run(i + 1, runs.get(i), names, weightShareOf));
        }
        // the variant's figures are taken over the runs' own, so the two can never disagree
        List<DeviceFigures> devices = new ArrayList<>();
        for (String name : names) {
            List<RunFigures.Device> ds = perRun.stream().map(r -> r.device(name)).toList();
            double[] share = ds.stream().mapToDouble(RunFigures.Device::share).toArray();
            Mean decided = new Mean();
            Mean held = new Mean();
            ds.forEach(d -> {
                decided.add(d.shareBacklogged());
                held.add(d.loadHeldFraction());
            });
            double meanShare = mean(share);
            double weightShare = weightShareOf.applyAsDouble(name);
            FeasibleShare.Allocation a = feasible == null ? null : feasible.device(name);
            devices.add(new DeviceFigures(name, weightOf.applyAsInt(name), weightShare, mean(ds, d -> d.ios()), meanShare,
                    100 * stddev(share), 100 * (meanShare - weightShare), mean(ds, RunFigures.Device::iops),
                    mean(ds, d -> d.p50Us()), mean(ds, d -> d.p90Us()), mean(ds, d -> d.p99Us()), mean(ds, d -> d.p999Us()),
                    mean(ds, RunFigures.Device::inServiceMean), mean(ds, RunFigures.Device::backlogMean),
                    ds.stream().mapToInt(RunFigures.Device::peakInService).max().orElse(0),
                    ds.stream().mapToLong(RunFigures.Device::errors).sum(), mean(ds, RunFigures.Device::backloggedFraction),
                    decided.value(), held.value(), a == null ? null : a.concurrency(), a == null ? null : a.share(),
                    mean(ds, RunFigures.Device::idleFraction), mean(ds, d -> d.idleArrivals()),
                    mean(ds, d -> d.idleTimeouts()),
                    depth(ds.stream().map(RunFigures.Device::depth).filter(java.util.Objects::nonNull).toList())));
        }
        double allBacklogged = perRun.stream().mapToDouble(RunFigures::allBackloggedFraction).average().orElse(0);
        double lag = perRun.stream().mapToDouble(RunFigures::dispatchLag).max().orElse(0);
        Mean disk = new Mean();
        String hostLimit = null;
        for (RunFigures r : perRun) {
            disk.add(r.diskUtilization());
            if (hostLimit == null && r.hostLimit() != null) {
                hostLimit = runs.size() > 1 ? "run " + r.run() + ": " + r.hostLimit() : r.hostLimit();
            }
        }
        double loadStart = runs.isEmpty() ? -1 : runs.get(0).loadAverageStart();
        double loadEnd = runs.isEmpty() ? -1 : runs.get(runs.size() - 1).loadAverageEnd();
        Integer depth = runs.isEmpty() ? null : runs.get(0).backendEnd().depth();
        return new VariantResult(label, keys, mode, policy, runs.size(), devices, Fairness.jain(devices),
                Fairness.maxErrorPp(devices), allBacklogged, lag, disk.value(), loadStart, loadEnd, feasible, hostLimit,
                Fairness.explain(mode, policy, devices, allBacklogged, disk.value(), depth) + guests(names, runs, devices),
                List.of(), List.of(), perRun);
    }

    /** One run's own figures: each device's, from its load entries and the backend's counters over the window. */
    static RunFigures run(int number, LoadResult run, List<String> names, ToDoubleFunction<String> weightShareOf) {
        List<RunFigures.Device> devices = new ArrayList<>();
        for (String name : names) {
            // a device may be driven by more than one load entry: sum their counts, take the worst percentiles
            List<DeviceResult> ds = run.devices().stream().filter(x -> x.name().equals(name)).toList();
            if (ds.isEmpty()) {
                throw new IllegalStateException("run " + number + " has no result for device " + name);
            }
            double share = ds.stream().mapToDouble(DeviceResult::share).sum();
            WindowFigures.DeviceWindow w = run.window().device(name);
            devices.add(new RunFigures.Device(name, ds.stream().mapToLong(DeviceResult::ios).sum(), share,
                    100 * (share - weightShareOf.applyAsDouble(name)), ds.stream().mapToDouble(DeviceResult::iops).sum(),
                    worst(ds, Latency::p50), worst(ds, Latency::p90), worst(ds, Latency::p99), worst(ds, Latency::p999),
                    w.inServiceMean(), w.backlogMean(), w.peakInService(), ds.stream().mapToLong(DeviceResult::errors).sum(),
                    w.backloggedFraction(), w.shareBacklogged(), w.loadHeldFraction(), w.idleFraction(), w.idleArrivals(),
                    w.idleTimeouts(), w.depth()));
        }
        return new RunFigures(number, run.durationSeconds(), run.window().allBackloggedFraction(), run.window().dispatchLag(),
                run.window().diskUtilization(), run.loadAverageStart(), run.loadAverageEnd(),
                Fairness.hostLimit(run.window()), devices, run.intervals());
    }

    private static long worst(List<DeviceResult> entries, ToLongFunction<Latency> percentile) {
        return entries.stream().mapToLong(d -> percentile.applyAsLong(d.latencyUs())).max().orElse(0);
    }

    private static double mean(List<RunFigures.Device> runs, ToDoubleFunction<RunFigures.Device> figure) {
        return runs.stream().mapToDouble(figure).average().orElse(0);
    }

    // the runs' depths: mean of the means, least and most of any run, misses per run, the first run's series
    private static WindowFigures.DepthWindow depth(List<WindowFigures.DepthWindow> runs) {
        if (runs.isEmpty()) {
            return null;
        }
        return new WindowFigures.DepthWindow(runs.stream().mapToDouble(WindowFigures.DepthWindow::mean).average().orElseThrow(),
                runs.stream().mapToInt(WindowFigures.DepthWindow::min).min().orElseThrow(),
                runs.stream().mapToInt(WindowFigures.DepthWindow::max).max().orElseThrow(),
                Math.round(runs.stream().mapToLong(WindowFigures.DepthWindow::latencyMisses).average().orElseThrow()),
                runs.get(0).series());
    }

    /**
     * For the devices a real guest drove, what its virtio-blk driver had outstanding per virtqueue (the
     * vhost-user door's counters) beside what the backend took into service: empty when no guest drove any.
     */
    static String guests(List<String> names, List<LoadResult> runs, List<DeviceFigures> devices) {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            String name = names.get(k);
            Mean outstanding = new Mean();
            int queues = 1;
            for (LoadResult run : runs) {
                outstanding.add(run.window().device(name).outstandingMean());
                queues = Math.max(1, run.backendEnd().device(name).queues().size());
            }
            if (outstanding.value() != null) {
                parts.add(String.format(java.util.Locale.ROOT, "%s %.1f (the backend had %.2f in service)", name,
                        outstanding.value() / queues, devices.get(k).inServiceMean() / queues));
            }
        }
        return parts.isEmpty() ? "" : "; a real guest drove it: its virtio-blk driver kept on average "
                + String.join(", ", parts) + " chains outstanding per virtqueue (the vhost-user door's counters)";
    }

    /** The one run of {@code vblk load}, its weights, modes and policy as the backend reported them. */
    public static VariantResult ofLoad(LoadResult run) {
        List<String> names = run.window().devices().stream().map(WindowFigures.DeviceWindow::name).toList();
        String mode = String.join("+", names.stream().map(n -> run.backendEnd().device(n).mode()).distinct().toList());
        return of("load", Map.of(), mode, run.backendEnd().policy(), names, n -> run.window().device(n).weight(),
                List.of(run), measured(run, names));
    }

    /**
     * The feasible shares as the backend's counters give them, when it has an emulated disk: its slots, the
     * slot-time one request took (busy slot-time over the window's completions) and, per device, the most
     * requests it had in the pipeline at once. Null without a disk or without completions.
     */
    static FeasibleShare.Model measured(LoadResult run, List<String> names) {
        io.vblk.result.BackendStats a = run.backendStart();
        io.vblk.result.BackendStats b = run.backendEnd();
        long completed = 0;
        for (String n : names) {
            completed += b.device(n).completed() - a.device(n).completed();
        }
        if (b.diskSlots() == 0 || completed == 0 || b.diskBusyNanos() <= a.diskBusyNanos()) {
            return null;
        }
        double service = (b.diskBusyNanos() - a.diskBusyNanos()) / 1e9 / completed;
        List<FeasibleShare.Demand> demands = names.stream().map(n -> new FeasibleShare.Demand(n,
                run.window().device(n).weight(), run.window().device(n).peakInService(), service)).toList();
        return FeasibleShare.model(String.format(java.util.Locale.ROOT, "measured: disk %d x %.0fus (busy slot-time "
                + "per completion), each device's peak in service", b.diskSlots(), service * 1e6), demands, b.diskSlots());
    }

    /** The mean of the figures that exist; null when none does. */
    private static final class Mean {
        private double sum;
        private int n;

        void add(Double x) {
            if (x != null) {
                sum += x;
                n++;
            }
        }

        Double value() {
            return n == 0 ? null : sum / n;
        }
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
}
