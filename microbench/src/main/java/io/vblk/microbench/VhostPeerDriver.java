package io.vblk.microbench;

import io.vblk.protocol.VirtioBlk;
import io.vblk.vhost.FrontEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Drives one vhost-user-blk back-end (vblk's door or qemu-storage-daemon) as a guest's driver would, from
 * this JVM: the tests' own front-end sets up one vring, then {@code depth} requests of 4 KiB at random
 * offsets are kept outstanding; it waits for the back-end's interrupt (a blocking read of the call eventfd,
 * as a guest's interrupt handler wakes: the CPU stays free for the back-end), or with {@code poll} spins on
 * the used ring; each completion is counted, timed from its submission, and its slot resubmitted; one kick
 * per batch of resubmissions. Prints one line of JSON: completions per second and latency percentiles in
 * microseconds, over the window after warm-up.
 *
 * <p>usage: {@code VhostPeerDriver SOCKET read|write DEPTH WARMUP_S SECONDS [call|poll]}
 */
public final class VhostPeerDriver {
    private VhostPeerDriver() {}

    private static final int BLOCK = 4096;
    private static final long SPAN_SECTORS = (256L << 20) >> VirtioBlk.SECTOR_SHIFT;

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: VhostPeerDriver SOCKET read|write DEPTH WARMUP_S SECONDS [call|poll]");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        boolean read = args[1].equals("read");
        int depth = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double seconds = Double.parseDouble(args[4]);
        boolean poll = args.length > 5 && args[5].equals("poll");
        Path memory = Files.createTempFile(Path.of("/dev/shm"), "vblk-peer", ".ram");
        int size = 128;
        if (depth < 1 || depth > size) {
            throw new IllegalArgumentException("depth must be from 1 to " + size);
        }
        byte[] data = new byte[BLOCK];
        new SplittableRandom(1).nextBytes(data);
        SplittableRandom random = new SplittableRandom(7);
        long[] submitted = new long[size];
        Histogram latency = new Histogram(10_000_000L, 3);
        try (FrontEnd fe = FrontEnd.connect(socket, memory)) {
            fe.negotiate();
            FrontEnd.Ring ring = fe.ring(0, size, 0);
            for (int s = 0; s < depth; s++) {
                submit(ring, s, read, data, random);
                submitted[s] = System.nanoTime();
            }
            ring.kick();
            long start = System.nanoTime();
            long open = start + (long) (warmup * 1e9);
            long close = open + (long) (seconds * 1e9);
            long count = 0;
            long total = 0;
            long errors = 0;
            int seen = 0;
            boolean measuring = false;
            for (long now = start; now < close; ) {
                int used = ring.usedIdx();
                if (used == seen) {
                    if (poll) {
                        Thread.onSpinWait();
                    } else {
                        ring.awaitCall();
                    }
                    now = System.nanoTime();
                    continue;
                }
                now = System.nanoTime();
                if (!measuring && now >= open) {
                    measuring = true;
                }
                for (; seen != used; seen = (seen + 1) & 0xffff) {
                    int slot = ring.usedId(seen);
                    total++;
                    if (measuring) {
                        latency.recordValue(Math.min((now - submitted[slot]) / 1000, 10_000_000L));
                        count++;
                        if (ring.status(slot) != VirtioBlk.S_OK) {
                            errors++;
                        }
                    }
                    submit(ring, slot, read, data, random);
                    submitted[slot] = now;
                }
                ring.kick();
            }
            double window = seconds;
            System.out.printf(Locale.ROOT, "{\"rw\": \"%s\", \"depth\": %d, \"wait\": \"%s\", \"ios\": %d, \"ios_total\": %d, \"errors\": %d, \"iops\": %.1f, "
                            + "\"p50_us\": %d, \"p99_us\": %d, \"p999_us\": %d, \"mean_us\": %.1f}%n", args[1], depth, poll ? "poll" : "call", count,
                    total, errors, count / window, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                    latency.getValueAtPercentile(99.9), latency.getMean());
        } finally {
            Files.deleteIfExists(memory);
        }
    }

    private static void submit(FrontEnd.Ring ring, int slot, boolean read, byte[] data, SplittableRandom random) {
        long sector = random.nextLong(SPAN_SECTORS / 8) * 8;
        if (read) {
            ring.request(slot, VirtioBlk.T_IN, sector, null, BLOCK);
        } else {
            ring.request(slot, VirtioBlk.T_OUT, sector, data, 0);
        }
    }
}
