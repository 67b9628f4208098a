package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import io.vblk.nbd.NbdClient;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.protocol.nbd.Nbd;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file device whose filesystem is full: a real 2 MiB tmpfs (mounting needs root, as CI has; skipped
 * otherwise). NBD writes get NBD_ENOSPC, virtio ones IOERR; TRIM still works and frees room; the store's
 * failures are logged at a bounded rate.
 */
class NoSpaceTest {
    @TempDir
    Path dir;
    private Path mount;
    private Backend backend;

    @BeforeEach
    void mountAndStart() throws Exception {
        mount = dir.resolve("small");
        java.nio.file.Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0, "cannot mount a small tmpfs (needs root): " + out.trim());
        backend = Backends.start("nbd: {port: 0}\ndevices:\n  - {name: f0, size: 64MiB, store: \"file:"
                + mount.resolve("f0.img") + "\"}\n");
    }

    @AfterEach
    void stopAndUnmount() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (mount != null) {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void aFullFilesystemIsEnospcOnNbdIoerrOnVirtioAndTrimStillFreesRoom() throws Exception {
        try (LogLines lines = new LogLines(RequestPath.class);
             NbdClient nbd = NbdClient.attach(backend.nbdAddress(), "f0", true);
             TestClient virtio = TestClient.attach(backend, "f0")) {
            byte[] block = new byte[256 * 1024];
            int failed = 0;
            for (long at = 0; at < 8L << 20; at += block.length) {
                NbdClient.Reply r = nbd.write(at, block, 0);
                if (r.error() != 0) {
                    assertThat(r.error()).as("error of the write at %d", at).isEqualTo(Nbd.ENOSPC);
                    assertThat(r.message()).contains("no space");
                    failed++;
                }
            }
            assertThat(failed).as("writes past the tmpfs's 2 MiB").isGreaterThanOrEqualTo(20);
            Completion c = virtio.call(BlkRequest.write(0, 0, (6L << 20) >> 9, Unpooled.wrappedBuffer(block)));
            c.release();
            assertThat(c.status()).isEqualTo(VirtioBlk.S_IOERR);
            // the 20-odd failures in well under a second: at most 10 lines and one saying how many were left out
            assertThat(lines.warnings()).hasSizeLessThanOrEqualTo(11);

            assertThat(nbd.call(Nbd.CMD_TRIM, 0, 0, 64L << 20, null).error()).as("TRIM on a full filesystem").isZero();
            assertThat(nbd.write(6L << 20, block, 0).error()).as("a write after the TRIM freed room").isZero();
        }
    }
}
