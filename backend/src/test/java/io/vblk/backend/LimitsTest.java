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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** limits.idle-timeout and limits.max-connections, and one device per connection. */
class LimitsTest {
    private Backend backend;

    @BeforeEach
    void start() throws Exception {
        // a 1 s disk keeps a request in flight for three idle timeouts
        backend = Backends.start("mode: aio\ndisk: {service-time: 1s}\n"
                + "limits: {idle-timeout: 300ms, max-connections: 3}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void connectionThatNeverAttachesIsClosed() throws Exception {
        try (TestClient c = new TestClient(backend.address())) {
            long t0 = System.nanoTime();
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(250_000_000L);
            assertThat(e.code()).isEqualTo(ErrorCode.LIMIT);
            assertThat(e.message()).contains("handshake not finished").contains("300 ms").contains("limits.idle-timeout");
        }
    }

    @Test
    void connectionThatStopsHalfWayThroughAFrameIsClosed() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            // a REQUEST envelope declaring a 24-byte header, and only 10 of those bytes
            c.sendRaw(Unpooled.buffer(18).writeShortLE(FrameCodec.MAGIC).writeByte(4).writeByte(0)
                    .writeIntLE(FrameCodec.REQUEST_HEADER_BYTES).writeZero(10));
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(e.code()).isEqualTo(ErrorCode.LIMIT);
            assertThat(e.message()).contains("partial frame (18 bytes)").contains("limits.idle-timeout");
        }
    }

    @Test
    void attachedConnectionWaitingForRepliesOrQuietIsKeptOpen() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            long t0 = System.nanoTime();
            Completion slow = c.call(BlkRequest.read(0, 0, 0, 512));
            slow.release();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(900_000_000L);
            assertThat(slow.status()).isEqualTo(VirtioBlk.S_OK);
            // quiet between frames for well over the timeout: still served
            assertThat(c.nextWithin(1000)).isNull();
            assertThat(c.isOpen()).isTrue();
            Completion again = c.call(BlkRequest.read(0, 1, 0, 512));
            again.release();
            assertThat(again.status()).isEqualTo(VirtioBlk.S_OK);
        }
    }

    @Test
    void connectionBeyondTheLimitIsRefusedAndTheOthersKeepWorking() throws Exception {
        List<TestClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(TestClient.attach(backend, "d0"));
            }
            try (TestClient extra = new TestClient(backend.address())) {
                ErrorFrame e = extra.expectErrorThenClose();
                assertThat(e.code()).isEqualTo(ErrorCode.LIMIT);
                assertThat(e.message()).contains("at most 3 connections").contains("limits.max-connections");
            }
            // the refusal is counted before its ERROR frame is written, so the client has seen it by now
            io.vblk.metrics.DoorCounters door = backend.reading().doors().get(0);
            assertThat(door.door()).isEqualTo(io.vblk.metrics.DoorCounters.VIRTIO);
            assertThat(door.connections()).isEqualTo(4);
            assertThat(door.refusals()).containsEntry("limit", 1L).containsEntry("wrong_door", 0L);
            for (TestClient c : held) {
                Completion ok = c.call(BlkRequest.read(0, 0, 0, 512));
                ok.release();
                assertThat(ok.status()).isEqualTo(VirtioBlk.S_OK);
            }
            held.remove(0).close();
            // the freed slot is usable once the backend has seen the close
            Wait.until(() -> backend.openConnections() == 2, 5000, "the closed connection to be counted out");
            held.add(TestClient.attach(backend, "d0"));
            Completion ok = held.get(2).call(BlkRequest.read(0, 0, 0, 512));
            ok.release();
            assertThat(ok.status()).isEqualTo(VirtioBlk.S_OK);
        } finally {
            held.forEach(TestClient::close);
        }
    }

    @Test
    void secondAttachOnAConnectionIsRefused() throws Exception {
        try (TestClient c = TestClient.attach(backend, "d0")) {
            c.send(new Attach(FrameCodec.VERSION, 1, "d0"));
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
            assertThat(e.message()).contains("ATTACH");
        }
        try (TestClient c = new TestClient(backend.address())) {
            // and between ATTACH and ACK
            c.send(new Attach(FrameCodec.VERSION, 1, "d0"));
            c.next();
            c.send(new Attach(FrameCodec.VERSION, 1, "d0"));
            assertThat(c.expectErrorThenClose().code()).isEqualTo(ErrorCode.UNEXPECTED_FRAME);
            assertThat(c.isOpen()).isFalse();
        }
    }
}
