package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vblk.protocol.Attach;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.FrameEncoder;
import io.vblk.protocol.StatsQuery;
import io.vblk.protocol.StatsReply;
import io.vblk.protocol.VirtioBlk;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * limits.idle-timeout as absolute deadlines: a handshake, and a frame once started, must be complete within
 * it however slowly the bytes trickle in (slowloris); a stats-only connection that asked once is not an
 * unfinished handshake; a TLS handshake is bounded by it too.
 */
class DeadlinesTest {
    // long enough that an honest attach finishes inside it on a loaded 2-core machine (300 ms did not, at a
    // load average of 7-10); a refusal may come late by a few timeouts there, never early
    private static final long TIMEOUT_MS = 600;
    private Backend backend;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        backend = Backends.start("limits: {idle-timeout: " + TIMEOUT_MS + "ms}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void anAttachSentOneByteAtATimeIsClosedAtTheHandshakeDeadline() throws Exception {
        try (TestClient c = new TestClient(backend.address())) {
            long t0 = System.nanoTime();
            ErrorFrame e = trickle(c, bytes(new Attach(FrameCodec.VERSION, 1, "d0")));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(e.code()).isEqualTo(ErrorCode.LIMIT);
            assertThat(e.message()).contains("handshake not finished within 600 ms");
            assertThat(ms).isBetween(TIMEOUT_MS - 50, 5 * TIMEOUT_MS);
        }
    }

    @Test
    void aRequestSentOneByteAtATimeIsClosedAtTheFrameDeadline() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            long t0 = System.nanoTime();
            ErrorFrame e = trickle(c, bytes(BlkRequest.write(0, 0, 0, Unpooled.wrappedBuffer(new byte[512]))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(e.code()).isEqualTo(ErrorCode.LIMIT);
            assertThat(e.message()).contains("partial frame").contains("within 600 ms");
            assertThat(ms).isBetween(TIMEOUT_MS - 50, 5 * TIMEOUT_MS);
        }
    }

    @Test
    void framesThatEachCompleteInTimeKeepAStreamingConnectionOpen() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            // 12 reads of one sector, each frame sent in two halves 200 ms apart: 2.4 s, four timeouts, all served
            byte[] read = bytes(BlkRequest.read(0, 0, 0, 512));
            for (int i = 0; i < 12; i++) {
                c.sendRaw(Unpooled.wrappedBuffer(read, 0, 10));
                assertThat(c.nextWithin(200)).isNull();
                c.sendRaw(Unpooled.wrappedBuffer(read, 10, read.length - 10));
                Frame f = c.nextWithin(1000);
                assertThat(f).isInstanceOf(Completion.class);
                ((Completion) f).release();
                assertThat(((Completion) f).status()).isEqualTo(VirtioBlk.S_OK);
            }
        }
    }

    @Test
    void aStatsOnlyConnectionThatAskedOnceIsKeptOpenWhileQuiet() throws Exception {
        try (TestClient c = new TestClient(backend.address())) {
            c.send(new StatsQuery());
            assertThat(c.next()).isInstanceOf(StatsReply.class);
            // quiet for three timeouts: a stats connection between queries, not an unfinished handshake
            assertThat(c.nextWithin(3 * TIMEOUT_MS)).isNull();
            c.send(new StatsQuery());
            assertThat(c.next()).isInstanceOf(StatsReply.class);
        }
    }

    @Test
    void aStalledTlsHandshakeIsClosedAtTheIdleTimeoutNotNettysTenSeconds() throws Exception {
        backend.close();
        SelfSigned cert = SelfSigned.in(dir);
        backend = Backends.start(cert.yaml() + "limits: {idle-timeout: " + TIMEOUT_MS + "ms}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
        try (Socket s = new Socket("127.0.0.1", backend.address().getPort())) {
            s.setSoTimeout(15_000);
            long t0 = System.nanoTime();
            // the start of a TLS record header, then nothing: the handshake never completes
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // whatever the server sends before closing (an alert) is not the point
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(TIMEOUT_MS - 50, 5 * TIMEOUT_MS);
        }
    }

    /**
     * Sends {@code wire} one byte every 100 ms until the backend answers; returns its ERROR frame. The backend
     * closes right after it, so a byte sent between the frame's arrival and our look at it fails on a closed
     * channel: then the frame is already on its way and is waited for.
     */
    private static ErrorFrame trickle(TestClient c, byte[] wire) throws Exception {
        for (int i = 0; i < wire.length - 1; i++) {
            try {
                c.sendRaw(Unpooled.wrappedBuffer(wire, i, 1));
            } catch (Exception e) {
                if (!(e instanceof ClosedChannelException)) {
                    throw e;
                }
                break;
            }
            Frame f = c.nextWithin(100);
            if (f != null) {
                assertThat(f).isInstanceOf(ErrorFrame.class);
                return (ErrorFrame) f;
            }
        }
        Frame f = c.nextWithin(1000);
        if (f == null) {
            throw new AssertionError("no ERROR frame for a frame of " + wire.length + " bytes trickled up to its last"
                    + " byte (or up to the backend's close)");
        }
        assertThat(f).isInstanceOf(ErrorFrame.class);
        return (ErrorFrame) f;
    }

    static byte[] bytes(Frame f) {
        EmbeddedChannel ch = new EmbeddedChannel(FrameEncoder.INSTANCE);
        ch.writeOutbound(f);
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }
}
