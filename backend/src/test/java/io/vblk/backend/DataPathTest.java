package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Data written through the whole stack reads back the same, for every store and mode. */
class DataPathTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} store, {1} mode")
    @CsvSource({"ram, sync", "ram, aio", "file, sync", "file, aio", "direct, aio"})
    void writesReadBack(String store, String mode) throws Exception {
        String storeYaml = switch (store) {
            case "ram" -> "store: ram";
            case "file" -> "store: \"file:" + dir.resolve("d.raw") + "\"";
            default -> "store: \"file:" + dir.resolve("d.raw") + "\", direct: true";
        };
        try (Backend b = Backends.start("mode: " + mode + "\ndevices:\n  - {name: d0, size: 8MiB, " + storeYaml + "}\n");
             TestClient c = TestClient.attach(b, "d0")) {
            SplittableRandom rnd = new SplittableRandom(42);
            List<byte[]> written = new ArrayList<>();
            // 16 blocks of mixed sizes and alignments, sent back to back so aio really overlaps them
            long sector = 0;
            for (int i = 0; i < 16; i++) {
                int sectors = 1 + rnd.nextInt(16);
                byte[] data = new byte[sectors * VirtioBlk.SECTOR_SIZE];
                rnd.nextBytes(data);
                written.add(data);
                c.send(BlkRequest.write(0, i, sector, Unpooled.wrappedBuffer(data)));
                sector += sectors + rnd.nextInt(3);
            }
            for (int i = 0; i < 16; i++) {
                try (var done = new Released(c.next())) {
                    assertThat(((Completion) done.frame).status()).isEqualTo(VirtioBlk.S_OK);
                }
            }
            sector = 0;
            rnd = new SplittableRandom(42);
            for (int i = 0; i < 16; i++) {
                int sectors = 1 + rnd.nextInt(16);
                rnd.nextBytes(new byte[sectors * VirtioBlk.SECTOR_SIZE]);
                Completion r = c.call(BlkRequest.read(0, i, sector, sectors * VirtioBlk.SECTOR_SIZE));
                try {
                    assertThat(r.status()).isEqualTo(VirtioBlk.S_OK);
                    assertThat(r.usedLength()).isEqualTo(written.get(i).length);
                    assertThat(bytes(r.data())).isEqualTo(written.get(i));
                } finally {
                    r.release();
                }
                sector += sectors + rnd.nextInt(3);
            }
        }
    }

    static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    /** Releases a received frame's payload at the end of a try block. */
    record Released(io.vblk.protocol.Frame frame) implements AutoCloseable {
        @Override
        public void close() {
            io.netty.util.ReferenceCountUtil.release(frame);
        }
    }
}
