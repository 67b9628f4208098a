package io.vblk.config;

/**
 * What the backend logs: {@code requests} is the path of the per-request JSON Lines log (off when absent);
 * {@code append} adds this run after the runs already in it, which is refused otherwise.
 */
public record LogConfig(String requests, Boolean append) {
    public LogConfig {
        append = append != null && append;
    }

    void validate(String at, Problems p) {
        p.require(requests == null || !requests.isBlank(), Problems.join(at, "requests"), "must be a file path");
    }
}
