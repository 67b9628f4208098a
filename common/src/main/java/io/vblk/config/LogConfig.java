package io.vblk.config;

/** What the backend logs: {@code requests} is the path of the per-request JSON Lines log (off when absent). */
public record LogConfig(String requests) {
    void validate(String at, Problems p) {
        p.require(requests == null || !requests.isBlank(), Problems.join(at, "requests"), "must be a file path");
    }
}
