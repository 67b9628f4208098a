package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A FLUSH completes only once what was written before it is in the file: reopen the image and look. */
class FlushDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void writeFlushReopenRead() throws Exception {
        Path image = dir.resolve("img.raw");
        byte[] data = new byte[64 * 1024];
        new Random(7).nextBytes(data);
        try (Backend b = Backends.start("devices:\n  - {name: img, size: 16MiB, store: \"file:" + image + "\"}\n");
             TestClient c = TestClient.attach(b, "img")) {
            assertThat(Files.size(image)).isEqualTo(16L << 20);
            Completion w = c.call(BlkRequest.write(0, 0, 2048, Unpooled.wrappedBuffer(data)));
            Completion f = c.call(BlkRequest.of(0, 1, VirtioBlk.T_FLUSH, 0, 0));
            assertThat(w.status()).isEqualTo(VirtioBlk.S_OK);
            assertThat(f.status()).isEqualTo(VirtioBlk.S_OK);
            // read through an independent descriptor while the backend still holds the file open
            try (FileChannel ch = FileChannel.open(image)) {
                ByteBuffer got = ByteBuffer.allocate(data.length);
                ch.read(got, 2048L * 512);
                assertThat(got.array()).isEqualTo(data);
            }
        }
    }

    @Test
    void imageIsCreatedSparse() throws Exception {
        Path image = dir.resolve("big.raw");
        try (Backend b = Backends.start("devices:\n  - {name: big, size: 4GiB, store: \"file:" + image + "\"}\n")) {
            assertThat(Files.size(image)).isEqualTo(4L << 30);
            // st_blocks counts 512-byte units actually allocated: a sparse 4 GiB image holds almost none
            Process stat = new ProcessBuilder("stat", "-c", "%b", image.toString()).start();
            long allocated = Long.parseLong(new String(stat.getInputStream().readAllBytes()).trim());
            assertThat(stat.waitFor()).isZero();
            assertThat(allocated * 512).isLessThan(1L << 20);
        }
    }
}
