package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.Attach;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.VirtioBlk;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client at the wrong door (an NBD client, which waits for the server to speak; HTTP; TLS on a plain port;
 * garbage) is closed at once, is sent no byte, and gets one WARN line naming what it looked like, while an
 * attached client on the same backend goes on being served. Before, the silent client waited the whole
 * idle-timeout and the others got an ERROR frame they cannot read, with a line that named only bad magic.
 */
class WrongDoorTest {
    // far longer than the first-byte timeout and the test's own bound, so a close can only be the wrong door's
    private static final String LIMITS = "limits: {first-byte-timeout: 1s, idle-timeout: 60s}\n";
    private static final String DEVICES = "devices:\n  - {name: d0, size: 1MiB, store: ram}\n";
    private Backend backend;
    private TestClient bystander;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        backend = Backends.start("nbd: {port: 0}\n" + LIMITS + DEVICES);
        bystander = TestClient.attach(backend, "d0");
    }

    @AfterEach
    void stop() {
        if (bystander != null) {
            bystander.close();
        }
        backend.close();
    }

    @Test
    void anNbdClientWaitingForTheServersGreetingIsClosedAfterTheFirstByteTimeoutAndToldWhereTheNbdDoorIs()
            throws Exception {
        try (LogLines lines = new LogLines(WrongDoor.class)) {
            long t0 = System.nanoTime();
            // as an NBD client does: connect, then read the server's greeting ("NBDMAGIC" ...) before sending anything
            Answer a = answer(null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(a.bytes()).as("bytes the backend sent").isEmpty();
            assertThat(ms).isBetween(950L, 10_000L);
            String line = oneLine(lines);
            assertThat(line).contains("NBD client on the vblk port").contains("silent for 1000 ms")
                    .contains("the NBD door is on 127.0.0.1:" + backend.nbdAddress().getPort());
        }
        assertBystanderServed();
    }

    @Test
    void garbageIsClosedAtOnceWithItsFirstBytesNamed() throws Exception {
        long t0 = System.nanoTime();
        String line = closedWithoutAByte(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        // at once: well before the first-byte timeout, which is what a silent client waits
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(900);
        assertThat(line).contains("not a vblk client on the vblk port").contains("first bytes 01 02 03 04 05 06 07 08")
                .contains("'VB', 56 42");
        assertBystanderServed();
    }

    @Test
    void anHttpClientIsNamedWithItsRequestLine() throws Exception {
        assertThat(closedWithoutAByte("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .contains("HTTP client on the vblk port (it sent \"GET / HTTP/1.1\")");
        assertBystanderServed();
    }

    @Test
    void anNbdClientThatSpeaksFirstIsNamedToo() throws Exception {
        // what an NBD client sends after the greeting it did not get: its flags, then IHAVEOPT
        assertThat(closedWithoutAByte("IHAVEOPT\0\0\0\u0007".getBytes(StandardCharsets.ISO_8859_1)))
                .contains("NBD client on the vblk port (it sent \"IHAVEOPT")
                .contains("the NBD door is on 127.0.0.1:" + backend.nbdAddress().getPort());
    }

    @Test
    void aTlsClientOnThePlainPortIsNamed() throws Exception {
        // the start of a ClientHello record
        assertThat(closedWithoutAByte(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01}))
                .contains("TLS client on the vblk port, which takes no TLS");
    }

    @Test
    void aVblkClientWhoseFirstFrameComesInPiecesAttaches() throws Exception {
        try (LogLines lines = new LogLines(WrongDoor.class); TestClient c = new TestClient(backend.address())) {
            byte[] attach = DeadlinesTest.bytes(new Attach(FrameCodec.VERSION, 1, "d0"));
            // one byte, a pause, the rest: the first byte alone could still be vblk's, so it is waited for
            c.sendRaw(Unpooled.wrappedBuffer(attach, 0, 1));
            assertThat(c.nextWithin(300)).isNull();
            c.sendRaw(Unpooled.wrappedBuffer(attach, 1, attach.length - 1));
            assertThat(c.next()).isInstanceOf(AttachOk.class);
            assertThat(lines.warnings()).isEmpty();
        }
    }

    @Test
    void aClientThatConnectsAndLeavesAtOnceIsNoWrongDoor() throws Exception {
        try (LogLines lines = new LogLines(WrongDoor.class)) {
            // as a port probe does
            new Socket("127.0.0.1", backend.address().getPort()).close();
            Wait.until(() -> backend.openConnections() == 1, 5000, "the probe to be counted out");
            // a silent client connected after the probe is judged after the probe's timer would have fired:
            // its line must be the only one
            answer(null);
            assertThat(oneLine(lines)).contains("silent for 1000 ms");
        }
    }

    @Test
    void aPlainVblkClientOnATlsPortIsToldTheDoorTakesTlsOnly() throws Exception {
        backend.close();
        bystander.close();
        bystander = null;
        SelfSigned cert = SelfSigned.in(dir);
        backend = Backends.start(cert.yaml() + LIMITS + DEVICES);
        assertThat(closedWithoutAByte(DeadlinesTest.bytes(new Attach(FrameCodec.VERSION, 1, "d0"))))
                .contains("vblk client without TLS on the vblk port, which takes TLS only");
    }

    /** What the backend sent a raw client that sent {@code first} (or nothing), read until it closed. */
    private Answer answer(byte[] first) throws Exception {
        try (Socket s = new Socket("127.0.0.1", backend.address().getPort())) {
            s.setSoTimeout(20_000);
            if (first != null) {
                s.getOutputStream().write(first);
                s.getOutputStream().flush();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
            }
            return new Answer(got.toByteArray());
        }
    }

    private record Answer(byte[] bytes) {}

    /** The one line logged for a client that sent {@code first}, once the backend closed it without a byte. */
    private String closedWithoutAByte(byte[] first) throws Exception {
        try (LogLines lines = new LogLines(WrongDoor.class)) {
            assertThat(answer(first).bytes()).as("bytes the backend sent (no ERROR frame)").isEmpty();
            return oneLine(lines);
        }
    }

    private static String oneLine(LogLines lines) throws InterruptedException {
        Wait.until(() -> !lines.warnings().isEmpty(), 5000, "a WARN line for the wrong door");
        List<String> w = lines.warnings();
        assertThat(w).hasSize(1);
        return w.get(0);
    }

    private void assertBystanderServed() throws InterruptedException {
        Completion c = bystander.call(BlkRequest.read(0, 0, 0, 512));
        c.release();
        assertThat(c.status()).isEqualTo(VirtioBlk.S_OK);
    }
}
