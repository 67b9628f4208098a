package io.vblk.backend;

import java.util.function.BooleanSupplier;

/** Waits for a condition with a bound, for tests: polls every millisecond, fails with what it waited for. */
public final class Wait {
    private Wait() {}

    public static void until(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(1);
        }
    }
}
