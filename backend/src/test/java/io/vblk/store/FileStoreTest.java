package io.vblk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DISCARD punches holes in the image and WRITE_ZEROES zeroes in place: on a real file, measured by st_blocks. */
class FileStoreTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aMistypedFolderIsNamedAndNeitherItNorAnImageIsCreated() {
        Path img = dir.resolve("nonexistent").resolve("img.raw");

        assertThatThrownBy(() -> FileStore.open(img, 64 * MIB, false, false, 4 << 20, true))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage(img + ": no such directory " + img.getParent() + " (an image is created only in a folder that exists)");
        assertThat(img.getParent()).doesNotExist();
    }

    @Test
    void withoutCreateAnAbsentImageIsRefusedAndNotCreated() {
        Path img = dir.resolve("img.raw");

        assertThatThrownBy(() -> FileStore.open(img, 64 * MIB, false, false, 4 << 20, false))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage(img + ": no such image (the device says create: false)");
        assertThat(img).doesNotExist();
    }

    @Test
    void withoutCreateAnExistingImageOpensAsItIs() throws Exception {
        Path img = dir.resolve("img.raw");
        try (FileStore s = FileStore.open(img, 64 * MIB, false, false, 4 << 20, true)) {
            s.write(0, Unpooled.wrappedBuffer(new byte[] {7}));
            s.flush();
        }
        try (FileStore s = FileStore.open(img, 64 * MIB, false, false, 4 << 20, false)) {
            io.netty.buffer.ByteBuf back = Unpooled.buffer(512);
            s.read(0, back, 512);
            assertThat(back.getByte(0)).isEqualTo((byte) 7);
        }
    }

    @Test
    void discardFreesTheRangesBlocksAndItReadsAsZeros() throws Exception {
        Path img = dir.resolve("a.img");
        try (FileStore s = FileStore.open(img, 64 * MIB, false, false, 4 << 20, true)) {
            // the case: a TRIM of 8 MiB on a fresh sparse image allocated 8 MiB
            s.discard(0, 8 * MIB);
            s.flush();
            assertThat(allocated(img)).as("after trimming a sparse range").isZero();
            byte[] ones = new byte[(int) (8 * MIB)];
            Arrays.fill(ones, (byte) 1);
            s.write(16 * MIB, Unpooled.wrappedBuffer(ones));
            s.flush();
            assertThat(allocated(img)).isGreaterThanOrEqualTo(8 * MIB);
            s.discard(16 * MIB + 512, 8 * MIB - 1024);
            s.flush();
            // only the two partial blocks at the ends stay allocated
            assertThat(allocated(img)).isLessThanOrEqualTo(64 * 1024);
            ByteBuf got = Unpooled.buffer();
            s.read(16 * MIB, got, (int) (8 * MIB));
            assertThat(got.getByte(0)).isEqualTo((byte) 1);
            assertThat(got.getByte(511)).isEqualTo((byte) 1);
            assertThat(got.getByte(512)).isZero();
            assertThat(got.getByte((int) (8 * MIB) - 513)).isZero();
            assertThat(got.getByte((int) (8 * MIB) - 512)).isEqualTo((byte) 1);
            assertThat(Files.size(img)).as("KEEP_SIZE").isEqualTo(64 * MIB);
        }
    }

    @Test
    void writeZeroesReadsAsZerosWithoutWritingAGigabyte() throws Exception {
        Path img = dir.resolve("b.img");
        try (FileStore s = FileStore.open(img, 4L << 30, false, false, 4 << 20, true)) {
            byte[] ones = new byte[4096];
            Arrays.fill(ones, (byte) 7);
            s.write(1L << 30, Unpooled.wrappedBuffer(ones));
            long t0 = System.nanoTime();
            s.writeZeroes(0, 2L << 30);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ByteBuf got = Unpooled.buffer();
            s.read(1L << 30, got, 4096);
            assertThat(got.forEachByte(b -> b == 0)).isEqualTo(-1);
            // writing 2 GiB of zeros takes seconds; ZERO_RANGE only changes extents
            assertThat(ms).isLessThan(1000);
        }
    }

    /** Bytes the filesystem has allocated to {@code file}: st_blocks, in 512-byte units. */
    static long allocated(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).as("stat: %s", out).isZero();
        return Long.parseLong(out) * 512;
    }
}
