package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.config.ByteSize;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Pattern;
import io.vblk.load.LoadException;
import io.vblk.load.LoadRunner;
import io.vblk.result.LoadResult;
import io.vblk.scenario.BackendProcess;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test done by the frontend itself: the load generator writes with verify on, FLUSHes every 100 ms
 * and keeps a ledger; the backend is SIGKILLed mid-run; the ledger the broken-off run leaves names what a
 * restarted backend must still hold, and a verify-only run reads each flushed block back once. Corrupting one
 * flushed block in the image between runs must then be caught.
 */
class FrontendCrashConsistencyTest {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 1024;
    private static final long MIN_FLUSHES = 5;

    @TempDir
    Path dir;

    @Test
    void theFrontendsLedgerFindsEveryFlushedBlockAfterSigkill() throws Exception {
        Path image = dir.resolve("crash.raw");
        Path ledger = dir.resolve("ledger.json");
        String config = "port: 0\ndevices:\n  - {name: img, size: " + (BLOCKS * BLOCK / 1024) + "KiB, store: \"file:"
                + image + "\"}\n";
        LoadSpec randwrite = new LoadSpec("img", 16, Pattern.RANDWRITE, null, ByteSize.of(BLOCK), null);

        BackendProcess first = BackendProcess.start(config, dir, "ledger-1", null);
        CompletableFuture<LoadResult> run;
        try {
            LoadConfig load = new LoadConfig(first.target(), true, null, null, List.of(randwrite), ledger.toString(),
                    Duration.ofMillis(100), false, null);
            // far longer than the test waits: the kill, not the clock, ends this run, once the live line has
            // counted MIN_FLUSHES acknowledged flushes
            CompletableFuture<Void> flushed = new CompletableFuture<>();
            java.util.regex.Pattern count = java.util.regex.Pattern.compile("flushes (\\d+)");
            LoadRunner.Options options = LoadRunner.Options.of(Duration.ZERO, Duration.ofSeconds(60)).withLive(line -> {
                java.util.regex.Matcher m = count.matcher(line);
                if (m.find() && Long.parseLong(m.group(1)) >= MIN_FLUSHES) {
                    flushed.complete(null);
                }
            });
            run = CompletableFuture.supplyAsync(() -> new LoadRunner(load, options).run());
            CompletableFuture.anyOf(flushed, run).get(45, TimeUnit.SECONDS);
            assertThat(run).as("the run is still going when the backend is killed").isNotDone();
        } finally {
            first.kill();
        }
        try {
            run.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the run went on after its backend was killed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(LoadException.class);
        }

        JsonNode written = new ObjectMapper().readTree(ledger.toFile());
        long flushes = written.get("flushes").asLong();
        long flushedBlocks = written.get("blocks_flushed").asLong();
        assertThat(flushes).isGreaterThanOrEqualTo(MIN_FLUSHES);
        assertThat(flushedBlocks).isPositive();

        LoadConfig check = new LoadConfig(null, true, null, null, List.of(randwrite), ledger.toString(), null, true, null);
        LoadResult verified;
        try (BackendProcess second = BackendProcess.start(config, dir, "ledger-2", null)) {
            verified = verifyOnly(check.withTarget(second.target()));
        }
        System.out.printf("SIGKILL via the frontend: %d acknowledged writes on %d blocks, %d flushes, %d flushed blocks;"
                        + " verify-only: %d blocks (%d bytes) verified, %d mismatches%n", ackedWrites(written),
                written.get("blocks_written").asLong(), flushes,
                flushedBlocks, verified.verify().checked(), verified.verify().checkedBytes(), verified.verify().mismatches());
        assertThat(verified.verify().mismatches()).isZero();
        assertThat(verified.verify().checked()).isEqualTo(flushedBlocks);
        assertThat(verified.verify().checkedBytes()).isEqualTo(flushedBlocks * BLOCK);
        assertThat(verified.succeeded()).isTrue();

        long victim = firstFlushedBlock(written);
        try (RandomAccessFile raw = new RandomAccessFile(image.toFile(), "rw")) {
            long at = victim * BLOCK + 100;
            raw.seek(at);
            int b = raw.read();
            raw.seek(at);
            raw.write(b ^ 0x5a);
        }
        LoadResult corrupt;
        try (BackendProcess third = BackendProcess.start(config, dir, "ledger-3", null)) {
            corrupt = verifyOnly(check.withTarget(third.target()));
        }
        assertThat(corrupt.verify().mismatches()).isEqualTo(1);
        assertThat(corrupt.verify().first()).singleElement().asString().contains("block " + victim + " ");
        assertThat(corrupt.succeeded()).isFalse();
        System.out.printf("after corrupting block %d: %s%n", victim, corrupt.verify().first().get(0));
    }

    /** Generations start at 1 on every block, so the last acknowledged one counts the block's acknowledged writes. */
    private static long ackedWrites(JsonNode ledger) {
        long n = 0;
        for (JsonNode b : ledger.get("devices").get("img").get("blocks")) {
            n += b.get("acked").asLong();
        }
        return n;
    }

    private static LoadResult verifyOnly(LoadConfig config) {
        return new LoadRunner(config, LoadRunner.Options.of(Duration.ZERO, Duration.ofSeconds(20))).run();
    }

    private static long firstFlushedBlock(JsonNode ledger) {
        for (JsonNode b : ledger.get("devices").get("img").get("blocks")) {
            if (b.get("flushed").asInt() > 0) {
                return b.get("block").asLong();
            }
        }
        throw new AssertionError("no flushed block in the ledger");
    }
}
