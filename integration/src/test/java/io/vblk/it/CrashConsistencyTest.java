package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.scenario.BackendProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL a backend process in the middle of writes and flushes, restart it on the same image, and check
 * that every block a completed FLUSH covered holds the generation flushed or a later one, with no torn
 * sector. Each 512-byte sector carries its block, generation and index and a body derived from them, so
 * one read tells which write a sector came from and whether it is whole.
 */
class CrashConsistencyTest {
    private static final int BLOCK = 4096;
    private static final int SECTORS = BLOCK / 512;
    private static final int BLOCKS = 1024;
    private static final int WRITERS = 16;
    private static final long RUN_MILLIS = 2000;
    private static final long FLUSH_EVERY_MILLIS = 100;
    /** A loaded machine may fsync slowly: the run goes on past RUN_MILLIS until this many flushes, up to 20 s. */
    private static final int MIN_FLUSHES = 5;
    private static final int FLUSH_DESCRIPTOR = WRITERS;

    @TempDir
    Path dir;

    /** The one valid content of sector {@code s} of {@code block} as generation {@code gen} wrote it. */
    static void sector(ByteBuf out, int block, long gen, int s) {
        out.writeLong(block).writeLong(gen).writeInt(s);
        SplittableRandom r = new SplittableRandom(block * 0x9E3779B97F4A7C15L ^ gen * 0xC2B2AE3D27D4EB4FL ^ s);
        for (int i = 20; i < 512; i += 4) {
            out.writeInt(r.nextInt());
        }
    }

    @Test
    void flushedBlocksSurviveSigkillWhole() throws Exception {
        Path image = dir.resolve("crash.raw");
        String config = "port: 0\ndevices:\n  - {name: img, size: " + (BLOCKS * BLOCK / 1024) + "KiB, store: \"file:"
                + image + "\"}\n";
        long[] sent = new long[BLOCKS];             // highest generation sent, per block; owned by one writer
        AtomicLongArray acked = new AtomicLongArray(BLOCKS);
        long[] flushed = new long[BLOCKS];          // highest generation a completed FLUSH covers
        AtomicLong writes = new AtomicLong();
        int flushes = 0;
        BackendProcess first = BackendProcess.start(config, dir, "crash-1", null);
        try (BlockClient c = BlockClient.attach(first.target(), "img")) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int stripe = w;
                Thread t = new Thread(() -> {
                    // writer w owns blocks b with b % WRITERS == w, so a block never has two writes in flight
                    SplittableRandom pick = new SplittableRandom(stripe);
                    while (true) {
                        int b = stripe + WRITERS * pick.nextInt(BLOCKS / WRITERS);
                        long gen = ++sent[b];
                        ByteBuf data = Unpooled.buffer(BLOCK);
                        for (int s = 0; s < SECTORS; s++) {
                            sector(data, b, gen, s);
                        }
                        try {
                            Completion done = c.call(BlkRequest.write(0, stripe, (long) b * SECTORS, data));
                            assertThat(done.status()).isEqualTo(VirtioBlk.S_OK);
                            done.release();
                        } catch (ExecutionException | java.util.concurrent.TimeoutException | InterruptedException e) {
                            return; // the backend is gone: this write may or may not have landed
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                        acked.set(b, gen);
                        writes.incrementAndGet();
                    }
                }, "writer-" + w);
                t.start();
                writers.add(t);
            }
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            while (System.nanoTime() < end || flushes < MIN_FLUSHES) {
                assertThat(System.nanoTime() - start).as("time to %d flushes", MIN_FLUSHES)
                        .isLessThan(TimeUnit.SECONDS.toNanos(20));
                Thread.sleep(FLUSH_EVERY_MILLIS);
                // a FLUSH covers the writes completed before it was sent: snapshot those first
                long[] covered = new long[BLOCKS];
                for (int b = 0; b < BLOCKS; b++) {
                    covered[b] = acked.get(b);
                }
                Completion f = c.call(BlkRequest.of(0, FLUSH_DESCRIPTOR, VirtioBlk.T_FLUSH, 0, 0));
                assertThat(f.status()).isEqualTo(VirtioBlk.S_OK);
                f.release();
                flushes++;
                for (int b = 0; b < BLOCKS; b++) {
                    flushed[b] = Math.max(flushed[b], covered[b]);
                }
            }
            first.kill();
            for (Thread t : writers) {
                t.join(TimeUnit.SECONDS.toMillis(15));
                assertThat(t.isAlive()).as("%s noticed the crash", t.getName()).isFalse();
            }
        } finally {
            first.kill();
        }

        int blocksVerified = 0;
        long unflushedAcked = 0;   // acknowledged writes no completed FLUSH covered: these may be lost
        int unflushedBlocks = 0;   // blocks whose newest acknowledged write no completed FLUSH covers
        int unflushedSurvived = 0; // of those, the blocks that hold that write anyway
        int inFlightLanded = 0;    // blocks holding a write sent but never acknowledged
        BackendProcess second = BackendProcess.start(config, dir, "crash-2", null);
        try (BlockClient c = BlockClient.attach(second.target(), "img")) {
            for (int b = 0; b < BLOCKS; b++) {
                unflushedAcked += acked.get(b) - flushed[b];
                if (sent[b] == 0) {
                    continue;
                }
                Completion r = c.call(BlkRequest.read(0, 0, (long) b * SECTORS, BLOCK));
                assertThat(r.status()).isEqualTo(VirtioBlk.S_OK);
                ByteBuf got = r.data();
                long[] gens = new long[SECTORS];
                ByteBuf want = Unpooled.buffer(512);
                for (int s = 0; s < SECTORS; s++) {
                    int at = got.readerIndex() + s * 512;
                    gens[s] = got.getLong(at + 8);
                    if (gens[s] == 0 && got.getLong(at) == 0) {
                        assertThat(flushed[b]).as("block %d sector %d reads as never written", b, s).isZero();
                        continue;
                    }
                    want.clear();
                    sector(want, b, gens[s], s);
                    assertThat(got.slice(at, 512)).as("block %d sector %d is whole, generation %d", b, s, gens[s])
                            .isEqualTo(want);
                    assertThat(gens[s]).as("block %d sector %d generation", b, s).isBetween(flushed[b], sent[b]);
                }
                r.release();
                boolean whole = java.util.Arrays.stream(gens).distinct().count() == 1;
                if (!whole) {
                    // only a write in flight at the kill may have landed in part, and only over the one before
                    assertThat(sent[b]).as("block %d mixes generations %s", b, java.util.Arrays.toString(gens))
                            .isGreaterThan(acked.get(b));
                    assertThat(gens).containsOnly(sent[b], acked.get(b));
                }
                if (flushed[b] > 0) {
                    blocksVerified++;
                }
                if (acked.get(b) > flushed[b]) {
                    unflushedBlocks++;
                    if (gens[0] >= acked.get(b)) {
                        unflushedSurvived++;
                    }
                }
                if (gens[0] > acked.get(b) || gens[SECTORS - 1] > acked.get(b)) {
                    inFlightLanded++;
                }
            }
        } finally {
            second.close();
        }
        System.out.printf("SIGKILL: %d acknowledged writes, %d flushes; %d flushed blocks (%d bytes) verified whole at"
                        + " the flushed generation or later; %d acknowledged writes after their block's last flush"
                        + " (may be lost), on %d blocks, %d of which kept them anyway; %d blocks hold a write in flight at the kill%n",
                writes.get(), flushes, blocksVerified, (long) blocksVerified * BLOCK, unflushedAcked, unflushedBlocks, unflushedSurvived,
                inFlightLanded);
        assertThat(flushes).isGreaterThanOrEqualTo(MIN_FLUSHES);
        assertThat(blocksVerified).isGreaterThan(BLOCKS / 2);
        assertThat(second.exitCode()).isZero();
    }
}
