package io.vblk.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vblk.admin.Control;
import io.vblk.admin.ControlException;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigException;
import io.vblk.config.DeviceConfig;
import io.vblk.config.Durations;
import io.vblk.config.LiveChange;
import io.vblk.config.SchedulerConfig;
import io.vblk.requestlog.ControlRecord;
import io.vblk.requestlog.RecordLog;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import io.vblk.scheduler.Policies;
import io.vblk.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Live changes to a running backend. A change is read with the config loader's rules against the running
 * config and validated as a whole config; one that would break an invariant is refused with the reason;
 * then the devices and the scheduler are changed between two of its decisions, and every changed key becomes
 * a {@link ControlRecord} in the request log. Changes are applied one at a time (this object's monitor), and
 * the running config is this class's: {@link #config} is what runs now.
 */
final class LiveControl implements Control {
    /** A change's outcome: every key that changed, as logged; and the state after it. */
    record Applied(List<ControlRecord> applied, State state) {}

    /** The scheduler's live settings and what it does now. */
    record SchedulerState(String policy, String depth, String idle, boolean inject, int dispatched) {}

    /** A device's live settings and its counters. */
    record DeviceState(String name, int weight, Integer reservation, Integer limit, String mode, int maxInService,
                       long received, long completed, long errors) {}

    record State(SchedulerState scheduler, List<DeviceState> devices) {}

    private final List<Device> devices;
    private final Scheduler scheduler;
    private final RecordLog log;
    private final LongSupplier clock;
    private final Supplier<BackendStats> stats;
    private volatile BackendConfig config;

    LiveControl(BackendConfig config, List<Device> devices, Scheduler scheduler, RecordLog log, LongSupplier clock,
                Supplier<BackendStats> stats) {
        this.config = config;
        this.devices = devices;
        this.scheduler = scheduler;
        this.log = log;
        this.clock = clock;
        this.stats = stats;
    }

    /** The settings that run now: the loaded config with every applied change. */
    BackendConfig config() {
        return config;
    }

    @Override
    public State state() {
        BackendConfig c = config;
        BackendStats s = stats.get();
        SchedulerConfig sc = c.scheduler();
        List<DeviceState> list = new ArrayList<>();
        for (int i = 0; i < c.devices().size(); i++) {
            DeviceConfig d = c.devices().get(i);
            DeviceStats ds = s.devices().get(i);
            list.add(new DeviceState(d.name(), d.weight(), d.reservation(), d.limit(), c.modeOf(d).label(),
                    c.aioInServiceLimit(d), ds.received(), ds.completed(), ds.errors()));
        }
        return new State(new SchedulerState(sc.policy().label(), sc.depth().toString(), Durations.format(sc.idle()),
                sc.inject(), scheduler.dispatchedNow()), list);
    }

    @Override
    public synchronized Applied change(String target, ObjectNode values) throws ControlException {
        BackendConfig before = config;
        BackendConfig after;
        try {
            if (ControlRecord.SCHEDULER.equals(target)) {
                after = LiveChange.scheduler(before, values);
            } else {
                int index = index(before, target);
                after = LiveChange.device(before, index, values);
            }
        } catch (ConfigException e) {
            throw new ControlException(ControlException.BAD_VALUE, e.problems().stream()
                    .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message())
                    .reduce((a, b) -> a + "; " + b).orElse(e.getMessage()));
        }
        refuseBroken(before, after);
        List<ControlRecord> records = diff(before, after, clock.getAsLong());
        apply(before, after);
        config = after;
        if (log != null) {
            records.forEach(log::write);
        }
        return new Applied(records, state());
    }

    private static int index(BackendConfig c, String name) throws ControlException {
        int i = c.deviceIndex(name);
        if (i >= 0) {
            return i;
        }
        throw new ControlException(ControlException.UNKNOWN_TARGET, "no device named '" + name + "'; there are "
                + String.join(", ", c.devices().stream().map(DeviceConfig::name).toList()) + " (and scheduler)");
    }

    // what a valid config may still not become while it runs
    private static void refuseBroken(BackendConfig before, BackendConfig after) throws ControlException {
        SchedulerConfig a = before.scheduler();
        SchedulerConfig b = after.scheduler();
        if (a.depth().auto() != b.depth().auto() || (a.depth().auto() && !a.depth().equals(b.depth()))) {
            throw new ControlException(ControlException.REFUSED, "scheduler.depth: cannot change from " + a.depth()
                    + " to " + b.depth() + " live: latency-driven depth (auto) is set up when the backend starts");
        }
        if (after.disk() != null) {
            double capacity = after.disk().parallelism() * 1e9 / after.disk().serviceTime().toNanos();
            long reserved = after.devices().stream().mapToLong(d -> d.reservation() == null ? 0 : d.reservation()).sum();
            if (reserved > capacity) {
                throw new ControlException(ControlException.REFUSED, String.format(java.util.Locale.ROOT,
                        "the reservations would sum to %d IOPS, over the disk's capacity of %.0f IOPS (parallelism %d "
                                + "/ service-time %s): no schedule could meet them", reserved, capacity,
                        after.disk().parallelism(), Durations.format(after.disk().serviceTime())));
            }
        }
    }

    // every changed key, as the log keeps it
    private static List<ControlRecord> diff(BackendConfig before, BackendConfig after, long now) {
        List<ControlRecord> out = new ArrayList<>();
        SchedulerConfig a = before.scheduler();
        SchedulerConfig b = after.scheduler();
        add(out, "policy", ControlRecord.SCHEDULER, now, a.policy().label(), b.policy().label());
        add(out, "depth", ControlRecord.SCHEDULER, now, a.depth().toString(), b.depth().toString());
        add(out, "idle", ControlRecord.SCHEDULER, now, Durations.format(a.idle()), Durations.format(b.idle()));
        add(out, "inject", ControlRecord.SCHEDULER, now, String.valueOf(a.inject()), String.valueOf(b.inject()));
        for (int i = 0; i < before.devices().size(); i++) {
            DeviceConfig x = before.devices().get(i);
            DeviceConfig y = after.devices().get(i);
            add(out, "weight", x.name(), now, String.valueOf(x.weight()), String.valueOf(y.weight()));
            add(out, "reservation", x.name(), now, text(x.reservation()), text(y.reservation()));
            add(out, "limit", x.name(), now, text(x.limit()), text(y.limit()));
            add(out, "mode", x.name(), now, before.modeOf(x).label(), after.modeOf(y).label());
            add(out, "max-in-service", x.name(), now, String.valueOf(before.aioInServiceLimit(x)),
                    String.valueOf(after.aioInServiceLimit(y)));
        }
        return out;
    }

    private static String text(Integer iops) {
        return iops == null ? "none" : iops.toString();
    }

    private static void add(List<ControlRecord> out, String key, String target, long now, String from, String to) {
        if (!from.equals(to)) {
            out.add(new ControlRecord(key, target, now, from, to));
        }
    }

    // the devices first (their next admission follows the new mode), then the scheduler between two decisions
    private void apply(BackendConfig before, BackendConfig after) {
        boolean rules = !before.scheduler().policy().equals(after.scheduler().policy());
        for (int i = 0; i < devices.size(); i++) {
            DeviceConfig x = before.devices().get(i);
            DeviceConfig y = after.devices().get(i);
            devices.get(i).live(new Device.Live(y.weight(), after.modeOf(y), after.aioInServiceLimit(y)));
            rules |= !Objects.equals(x.weight(), y.weight()) || !Objects.equals(x.reservation(), y.reservation())
                    || !Objects.equals(x.limit(), y.limit());
        }
        SchedulerConfig sb = after.scheduler();
        int[] weights = after.devices().stream().mapToInt(DeviceConfig::weight).toArray();
        if (rules) {
            scheduler.replacePolicy(Policies.create(sb, weights,
                    after.devices().stream().mapToInt(d -> d.reservation() == null ? 0 : d.reservation()).toArray(),
                    after.devices().stream().mapToInt(d -> d.limit() == null ? 0 : d.limit()).toArray()));
        }
        if (!sb.depth().auto() && sb.depth().max() != before.scheduler().depth().max()) {
            scheduler.depth(sb.depth().max());
        }
        SchedulerConfig sa = before.scheduler();
        // idling's slots follow the depth too
        if (rules || !sa.idle().equals(sb.idle()) || sa.inject() != sb.inject() || !sa.depth().equals(sb.depth())) {
            int depth = sb.depth().max();
            scheduler.idling(Scheduler.Idling.of(sb.idle(), sb.inject(),
                    Math.min(depth, after.disk() == null ? depth : after.disk().parallelism()), weights));
        }
    }
}
