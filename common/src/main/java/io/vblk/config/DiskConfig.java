package io.vblk.config;

import java.time.Duration;

/**
 * The emulated disk's timing model: each request occupies one of {@code parallelism} slots for
 * {@code serviceTime} plus its bytes at {@code transferRate} (bytes per second; absent means no transfer
 * time), so the disk serves at most parallelism / service-time requests per second.
 */
public record DiskConfig(Duration serviceTime, ByteSize transferRate, Integer parallelism) {
    public DiskConfig {
        serviceTime = serviceTime == null ? Duration.ofNanos(200_000) : serviceTime;
        parallelism = parallelism == null ? 1 : parallelism;
    }

    /** Nanoseconds one request of this many bytes holds a slot. */
    public long serviceNanos(long bytes) {
        long transfer = transferRate == null || transferRate.bytes() == 0 ? 0
                : (long) (bytes * 1e9 / transferRate.bytes());
        return serviceTime.toNanos() + transfer;
    }

    void validate(String at, Problems p) {
        p.require(!serviceTime.isNegative(), Problems.join(at, "service-time"), "must not be negative");
        p.require(parallelism >= 1 && parallelism <= 4096, Problems.join(at, "parallelism"),
                "must be from 1 to 4096, got " + parallelism);
        p.require(transferRate == null || transferRate.bytes() > 0, Problems.join(at, "transfer-rate"),
                "must be a positive size per second, e.g. 200MiB");
    }
}
