package io.vblk.scenario;

import io.vblk.config.BackendConfig;
import io.vblk.config.Durations;
import io.vblk.config.LoadConfig;
import java.time.Duration;
import java.util.List;

/**
 * One experiment, completely described: the backend to start, the load to drive it with, how long, how
 * often, and the variants (the same scenario with some keys changed), each already resolved and validated;
 * {@code reference} holds figures measured elsewhere to print beside the results (null when none).
 */
public record Scenario(String name, String description, Duration duration, Duration warmup, int repeat,
                       List<Variant> variants, io.vblk.report.Reference reference) {

    /**
     * One way to run the scenario: the keys it changed, its backend config (and the YAML the backend process
     * reads), its simulated load, its real guests, the devices they drive in the file's order, and the live
     * changes the runner applies while each run goes on (checked against the backend config in order).
     */
    public record Variant(String label, java.util.Map<String, String> keys, BackendConfig backend, String backendYaml,
                          LoadConfig load, List<io.vblk.config.GuestSpec> guests, List<String> devices,
                          List<Change> changes) {
        public Variant {
            changes = List.copyOf(changes);
        }

        public Variant(String label, java.util.Map<String, String> keys, BackendConfig backend, String backendYaml,
                       LoadConfig load, List<io.vblk.config.GuestSpec> guests, List<String> devices) {
            this(label, keys, backend, backendYaml, load, guests, devices, List.of());
        }
    }

    /**
     * A live change of the scenario's {@code changes:} list: {@code at} after the run's start (its warmup
     * included), {@code values} set on {@code target}, a device or {@code scheduler}, through the backend's
     * admin endpoint.
     */
    public record Change(Duration at, String target, com.fasterxml.jackson.databind.node.ObjectNode values) {
        /** As the explanation says it: "sda11 weight=50 at 3s". */
        public String text() {
            List<String> kv = new java.util.ArrayList<>();
            values.fields().forEachRemaining(e -> kv.add(e.getKey() + "=" + e.getValue().asText()));
            return target + " " + String.join(" ", kv) + " at " + Durations.format(at);
        }
    }

    public Scenario {
        variants = List.copyOf(variants);
    }

    public Scenario with(Duration newDuration, Duration newWarmup, Integer newRepeat, List<String> onlyLabels) {
        // the loader checked the file's own values; these overrides come from elsewhere (the command line)
        if (newDuration != null && (newDuration.isZero() || newDuration.isNegative())) {
            throw new IllegalArgumentException("duration must be positive, got " + Durations.format(newDuration));
        }
        if (newWarmup != null && newWarmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative, got " + Durations.format(newWarmup));
        }
        if (newRepeat != null && (newRepeat < 1 || newRepeat > 100)) {
            throw new IllegalArgumentException("repeat must be from 1 to 100, got " + newRepeat);
        }
        List<Variant> kept = onlyLabels == null || onlyLabels.isEmpty() ? variants
                : variants.stream().filter(v -> onlyLabels.contains(v.label())).toList();
        Duration end = (newWarmup == null ? warmup : newWarmup).plus(newDuration == null ? duration : newDuration);
        for (Variant v : kept) {
            for (Change c : v.changes()) {
                if (c.at().compareTo(end) >= 0) {
                    throw new IllegalArgumentException("the change " + c.text() + " would come after the run's end ("
                            + Durations.format(end) + ", warmup included); give a longer duration");
                }
            }
        }
        return new Scenario(name, description, newDuration == null ? duration : newDuration,
                newWarmup == null ? warmup : newWarmup, newRepeat == null ? repeat : newRepeat, kept, reference);
    }
}
