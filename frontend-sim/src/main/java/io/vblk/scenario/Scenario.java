package io.vblk.scenario;

import io.vblk.config.BackendConfig;
import io.vblk.config.LoadConfig;
import java.time.Duration;
import java.util.List;

/**
 * One experiment, completely described: the backend to start, the load to drive it with, how long, how
 * often, and the variants (the same scenario with some keys changed), each already resolved and validated.
 */
public record Scenario(String name, String description, Duration duration, Duration warmup, int repeat,
                       List<Variant> variants) {

    /**
     * One way to run the scenario: the keys it changed, its backend config (and the YAML the backend process
     * reads) and its load.
     */
    public record Variant(String label, java.util.Map<String, String> keys, BackendConfig backend, String backendYaml,
                          LoadConfig load) {}

    public Scenario {
        variants = List.copyOf(variants);
    }

    public Scenario with(Duration newDuration, Duration newWarmup, Integer newRepeat, List<String> onlyLabels) {
        List<Variant> kept = onlyLabels == null || onlyLabels.isEmpty() ? variants
                : variants.stream().filter(v -> onlyLabels.contains(v.label())).toList();
        return new Scenario(name, description, newDuration == null ? duration : newDuration,
                newWarmup == null ? warmup : newWarmup, newRepeat == null ? repeat : newRepeat, kept);
    }
}
