package io.vblk.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to a running backend's settings, as the admin endpoint takes it: a JSON object of the keys that may
 * change live, for one device ({@link Device}) or for the scheduler ({@link Scheduler}). It is read with the
 * config loader's own rules and applied to the running config, and the result is validated as a whole config
 * would be, so a bad value is worded as the loader words it. A key set to null goes back to its default
 * (no reservation, no limit, the backend's mode).
 */
public final class LiveChange {
    private LiveChange() {}

    /** The keys of one device that may change live. */
    public record Device(Integer weight, Integer reservation, Integer limit, Mode mode, Integer maxInService) {}

    /** The scheduler's keys that may change live. */
    public record Scheduler(SchedulerConfig.Policy policy, Depth depth, Duration idle, Boolean inject) {}

    /** The keys of {@code type} in the loader's spelling, for messages. */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> out = new ArrayList<>();
        for (var c : type.getRecordComponents()) {
            out.add(c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /**
     * {@code config} with device {@code index} changed by {@code values}; throws {@link ConfigException} naming
     * {@code devices[index].KEY} for a value the loader would refuse, or a key that cannot change live.
     */
    public static BackendConfig device(BackendConfig config, int index, ObjectNode values) {
        String at = "devices[" + index + "]";
        Device c = read(values, Device.class, at);
        DeviceConfig d = config.devices().get(index);
        DeviceConfig n = new DeviceConfig(d.name(), d.size(), d.store(), d.direct(), d.readOnly(), d.queueSize(),
                d.queues(), pick(values, "weight", c.weight(), d.weight(), DeviceConfig.DEFAULT_WEIGHT),
                pick(values, "mode", c.mode(), d.mode(), null), d.fault(), d.maxDiscardSectors(), d.maxDiscardSeg(),
                d.maxWriteZeroesSectors(), d.maxWriteZeroesSeg(), d.vhostUser(),
                pick(values, "reservation", c.reservation(), d.reservation(), null),
                pick(values, "limit", c.limit(), d.limit(), null), d.latencyTarget(), d.create(),
                pick(values, "max-in-service", c.maxInService(), d.maxInService(), null));
        List<DeviceConfig> devices = new ArrayList<>(config.devices());
        devices.set(index, n);
        return checked(new BackendConfig(config.listen(), config.port(), config.mode(), config.maxInService(),
                config.scheduler(), config.disk(), config.log(), config.limits(), config.eventLoops(), config.auth(),
                config.tls(), config.nbd(), devices, config.admin()));
    }

    /** {@code config} with its scheduler changed by {@code values}; throws as {@link #device} does. */
    public static BackendConfig scheduler(BackendConfig config, ObjectNode values) {
        Scheduler c = read(values, Scheduler.class, "scheduler");
        SchedulerConfig s = config.scheduler();
        SchedulerConfig n = new SchedulerConfig(pick(values, "policy", c.policy(), s.policy(), null),
                pick(values, "depth", c.depth(), s.depth(), null), s.ioThrottle(), s.ioLimit(), s.cost(), s.linear(),
                pick(values, "idle", c.idle(), s.idle(), null), pick(values, "inject", c.inject(), s.inject(), null),
                s.anticipationTimeout());
        return checked(new BackendConfig(config.listen(), config.port(), config.mode(), config.maxInService(), n,
                config.disk(), config.log(), config.limits(), config.eventLoops(), config.auth(), config.tls(),
                config.nbd(), config.devices(), config.admin()));
    }

    private static <T extends Record> T read(ObjectNode values, Class<T> type, String at) {
        if (values.isEmpty()) {
            throw new ConfigException(List.of(new ConfigException.Located("admin", 0, at,
                    "no change given; these keys can change live: " + String.join(", ", keys(type)))));
        }
        return ConfigLoader.convert(values, type, "admin", "", at);
    }

    // the change's value; a key given as null is the default; an absent key keeps what runs
    private static <T> T pick(JsonNode values, String key, T changed, T running, T byDefault) {
        if (!values.has(key)) {
            return running;
        }
        return values.get(key).isNull() ? byDefault : changed;
    }

    private static BackendConfig checked(BackendConfig c) {
        Problems p = c.validate();
        if (!p.isEmpty()) {
            throw new ConfigException(p.list().stream()
                    .map(x -> new ConfigException.Located("admin", 0, x.path(), x.message())).toList());
        }
        return c;
    }
}
