package io.vblk.nbd;

import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import java.util.function.BooleanSupplier;

/** Backends with both doors on ephemeral loopback ports, from a YAML snippet, and bounded waits, for tests. */
final class NbdBackends {
    private NbdBackends() {}

    static Backend start(String yaml) throws Exception {
        BackendConfig cfg = ConfigLoader.parse("port: 0\nnbd: {port: 0}\n" + yaml, BackendConfig.class, "test.yaml");
        if (!cfg.validate().isEmpty()) {
            throw new IllegalArgumentException(cfg.validate().list().toString());
        }
        return Backend.start(cfg);
    }

    static void waitUntil(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(1);
        }
    }
}
