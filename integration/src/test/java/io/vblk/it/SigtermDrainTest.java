package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.scenario.BackendProcess;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a backend process with writes in flight on a slow disk: it answers every request it received,
 * exits 0, and every acknowledged write is in the image file afterwards.
 */
class SigtermDrainTest {
    private static final int WRITES = 48;
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void sigtermAnswersEveryRequestAndKeepsAcknowledgedWrites() throws Exception {
        Path image = dir.resolve("img.raw");
        // 20 ms per request, 2 at a time: the 48 writes need about 480 ms, so SIGTERM lands mid-run
        String config = "port: 0\ndisk: {service-time: 20ms, parallelism: 2}\n"
                + "devices:\n  - {name: img, size: 16MiB, store: \"file:" + image + "\"}\n";
        BackendProcess backend = BackendProcess.start(config, dir, "sigterm", null);
        byte[][] data = new byte[WRITES][BLOCK];
        Random random = new Random(11);
        List<CompletableFuture<Completion>> sent = new ArrayList<>();
        try (BlockClient c = BlockClient.attach(backend.target(), "img")) {
            for (int i = 0; i < WRITES; i++) {
                random.nextBytes(data[i]);
                sent.add(c.submit(BlkRequest.write(0, i, i * 8L * 3, Unpooled.wrappedBuffer(data[i]))));
            }
            // three completions (60 ms of service) prove the backend is serving; by then it has read every
            // frame, 192 KiB sent at once on loopback, and dozens of writes still wait for the disk
            for (int i = 0; i < 3; i++) {
                CompletableFuture.anyOf(sent.stream().filter(f -> !f.isDone()).toArray(CompletableFuture[]::new))
                        .get(10, TimeUnit.SECONDS);
            }
            long doneAtSignal = sent.stream().filter(CompletableFuture::isDone).count();
            assertThat(doneAtSignal).as("writes answered before SIGTERM").isLessThan(WRITES / 2);
            backend.close(); // SIGTERM, then wait up to 20 s for the exit
            assertThat(backend.exitCode()).as("exit code; see %s", backend.log()).isZero();
            int ok = 0;
            for (int i = 0; i < WRITES; i++) {
                // a completion that never came fails here: the closed connection fails what is pending
                Completion done = sent.get(i).get(0, TimeUnit.SECONDS);
                assertThat(done.status()).as("write %d", i).isEqualTo(VirtioBlk.S_OK);
                done.release();
                ok++;
            }
            System.out.printf("SIGTERM: %d writes in flight at the signal, %d answered OK, exit %d%n",
                    WRITES - doneAtSignal, ok, backend.exitCode());
        } finally {
            backend.close();
        }
        try (FileChannel ch = FileChannel.open(image)) {
            for (int i = 0; i < WRITES; i++) {
                ByteBuffer got = ByteBuffer.allocate(BLOCK);
                ch.read(got, i * 8L * 3 * 512);
                assertThat(got.array()).as("block %d in the image", i).isEqualTo(data[i]);
            }
        }
    }
}
