package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.Attach;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.VirtioBlk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A misbehaving frontend gets a precise error frame and is closed; everybody else goes on being served. */
class ProtocolErrorsTest {
    private Backend backend;

    @BeforeEach
    void start() throws Exception {
        // sync mode behind a slow disk keeps a request in service long enough to reuse its descriptor
        backend = Backends.start("mode: sync\ndisk: {service-time: 300ms}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram, queue-size: 8}\n");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void violationsAreLoggedWithTheirReasonAtALevelTheShippedConfigShows() throws Exception {
        try (LogLines lines = new LogLines(ErrorHandler.class)) {
            // after the handshake: a connection's first bytes are the wrong door's to judge (WrongDoorTest)
            try (TestClient c = TestClient.attach(backend, "d0")) {
                c.sendRaw(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
                assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.BAD_MAGIC);
            }
            Wait.until(() -> !lines.warnings().isEmpty(), 5000, "a WARN line for the bad magic");
            assertThat(lines.warnings().get(0)).contains("BAD_MAGIC").contains("bad magic 0x0201");
            // a flood of violations: at most 10 lines a second, and one saying how many were left out
            long t0 = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                try (TestClient c = TestClient.attach(backend, "d0")) {
                    c.sendRaw(Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
                    c.expectErrorThenClose();
                }
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L + 1;
            assertThat(lines.warnings().size()).isBetween(2, (int) Math.min(31, 11 * seconds + 1));
        }
    }

    @Test
    void descriptorReusedWhileInFlight() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            c.send(BlkRequest.read(0, 3, 0, 512));
            c.send(BlkRequest.read(0, 3, 8, 512));
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(e.code()).isEqualTo(ErrorCode.DESCRIPTOR_IN_USE);
            assertThat(e.message()).contains("descriptor id 3");
        }
        assertOthersStillServed();
    }

    @Test
    void moreInFlightThanTheQueueSize() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            c.send(BlkRequest.read(0, 8, 0, 512));
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(e.code()).isEqualTo(ErrorCode.QUEUE_OVERFLOW);
            assertThat(e.message()).contains("queue of 8");
        }
        assertOthersStillServed();
    }

    @Test
    void queueThatWasNotNegotiated() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            c.send(BlkRequest.read(1, 0, 0, 512));
            assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.BAD_QUEUE);
        }
    }

    @Test
    void unknownDeviceNamesTheDevicesThereAre() throws Exception {
        try (TestClient c = new TestClient(backend.address())) {
            c.send(new Attach(FrameCodec.VERSION, 1, "nope"));
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_DEVICE);
            assertThat(e.message()).contains("'nope'").contains("d0");
        }
    }

    @Test
    void badVersion() throws Exception {
        try (TestClient c = new TestClient(backend.address())) {
            c.send(new Attach(99, 1, "d0"));
            assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.BAD_VERSION);
        }
    }

    @Test
    void badMagicAfterTheHandshake() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            c.sendRaw(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes()));
            assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.BAD_MAGIC);
        }
    }

    @Test
    void requestBeforeAttach() throws Exception {
        try (TestClient c = new TestClient(backend.address())) {
            c.send(BlkRequest.read(0, 0, 0, 512));
            assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
        }
    }

    @Test
    void declaredLengthAboveTheBoundIsRefusedBeforeTheBodyArrives() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            long tooLarge = c.attached.config().maxTransfer() + FrameCodec.REQUEST_HEADER_BYTES + 1;
            // only the 8-byte envelope is sent: the refusal cannot have waited for (or buffered) the body
            c.sendRaw(Unpooled.buffer(8).writeShortLE(FrameCodec.MAGIC).writeByte(4).writeByte(0).writeIntLE((int) tooLarge));
            assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        }
    }

    private void assertOthersStillServed() throws Exception {
        try (TestClient other = TestClient.attach(backend, "d0")) {
            Completion ok = other.call(BlkRequest.read(0, 0, 0, 512));
            ok.release();
            assertThat(ok.status()).isEqualTo(VirtioBlk.S_OK);
        }
    }
}
