package io.vblk.config;

import java.time.Duration;
import java.util.List;

/**
 * Injected store faults for one device: fail every Nth request ({@code every}), fail any request touching a
 * sector range ({@code sectors: [first, last]}), or delay every request ({@code delay}). A failed request
 * completes with IOERR and writes nothing.
 */
public record FaultConfig(Integer every, List<Long> sectors, Duration delay) {
    void validate(String at, Problems p) {
        p.require(every == null || every >= 1, Problems.join(at, "every"), "must be at least 1, got " + every);
        p.require(sectors == null || (sectors.size() == 2 && sectors.get(0) >= 0 && sectors.get(0) <= sectors.get(1)),
                Problems.join(at, "sectors"), "must be [first, last] with 0 <= first <= last");
        p.require(delay == null || !delay.isNegative(), Problems.join(at, "delay"), "must not be negative");
    }
}
