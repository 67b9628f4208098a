package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.Ack;
import io.vblk.protocol.Attach;
import io.vblk.protocol.AttachOk;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.VirtioBlk;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** A client that does not read its replies costs the backend bounded memory and nobody else any service. */
class BackpressureTest {
    private static final long MEMORY = 4L << 20;
    private static final int MAX_IN_SERVICE = 16;
    private static final int READ = 64 * 1024;
    private static final int WRITES = 1024;
    private static final int REQUESTS = 2048; // 128 MiB of replies, 32 times the limit
    // replies may pass the high water mark by what was already in service when it was crossed
    private static final long BOUND = MEMORY + (long) MAX_IN_SERVICE * (READ + FrameCodec.ENVELOPE_BYTES
            + FrameCodec.COMPLETION_HEADER_BYTES);

    @Test
    void clientThatStopsReadingIsThrottledAndGetsEveryReplyLater() throws Exception {
        try (Backend backend = Backends.start("mode: aio\nmax-in-service: " + MAX_IN_SERVICE + "\n"
                + "limits: {max-connection-memory: 4MiB}\n"
                + "devices:\n  - {name: slow, size: 256MiB, store: ram, queue-size: 4096}\n"
                + "  - {name: other, size: 1MiB, store: ram}\n");
             RawClient slow = new RawClient(backend.address(), 64 * 1024)) {
            slow.send(new Attach(FrameCodec.VERSION, 1, "slow"));
            AttachOk ok = (AttachOk) slow.next();
            slow.send(new Ack(ok.features()));
            BlkRequest[] flood = new BlkRequest[REQUESTS];
            for (int i = 0; i < REQUESTS; i++) {
                flood[i] = BlkRequest.read(0, i, (long) i * (READ / 512), READ);
            }
            slow.send(flood);

            Wait.until(() -> backend.maxConnectionBuffered() >= MEMORY / 2, 10_000, "replies to back up");
            long peak = 0;
            long end = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < end) {
                peak = Math.max(peak, backend.maxConnectionBuffered());
            }
            assertThat(peak).isLessThanOrEqualTo(BOUND);
            // what was answered fits in the bound plus the two sockets' kernel buffers (a few MiB on loopback)
            long answered = backend.stats().devices().get(0).completed();
            assertThat(answered).as("replies made for the client that does not read").isLessThan(REQUESTS / 4);
            System.out.printf("backpressure: peak buffered %d bytes for a limit of %d (bound %d); %d of %d "
                    + "requests answered, %d held in the backend%n", peak, MEMORY, BOUND, answered, REQUESTS,
                    backend.unanswered());

            try (TestClient other = TestClient.attach(backend, "other")) {
                for (int i = 0; i < 200; i++) {
                    Completion c = other.call(BlkRequest.read(0, 0, 0, 4096));
                    c.release();
                    assertThat(c.status()).isEqualTo(VirtioBlk.S_OK);
                }
            }

            BitSet seen = new BitSet(REQUESTS);
            for (int i = 0; i < REQUESTS; i++) {
                Frame f = slow.next();
                assertThat(f).isInstanceOf(Completion.class);
                Completion c = (Completion) f;
                try {
                    assertThat(c.status()).isEqualTo(VirtioBlk.S_OK);
                    assertThat(c.usedLength()).isEqualTo(READ);
                    assertThat(seen.get(c.descriptor())).isFalse();
                    seen.set(c.descriptor());
                } finally {
                    c.release();
                }
            }
            assertThat(seen.cardinality()).isEqualTo(REQUESTS);
            assertThat(backend.unanswered()).isZero();
        }
    }

    @Test
    void writesArrivingFasterThanTheyAreStoredStopTheReading() throws Exception {
        // sync behind a 20 ms disk stores 50 writes a second; the client sends 1024 of 64 KiB (64 MiB) at once,
        // more than the sockets' kernel buffers can take, so the writer blocks once the backend stops reading
        try (Backend backend = Backends.start("mode: sync\ndisk: {service-time: 20ms}\n"
                + "limits: {max-connection-memory: 1MiB}\n"
                + "devices:\n  - {name: d0, size: 64MiB, store: ram}\n");
             RawClient writer = new RawClient(backend.address(), 64 * 1024)) {
            writer.send(new Attach(FrameCodec.VERSION, 1, "d0"));
            AttachOk ok = (AttachOk) writer.next();
            writer.send(new Ack(ok.features()));
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < WRITES; i++) {
                        writer.send(BlkRequest.write(0, i, i * 128L, Unpooled.buffer(READ).writeZero(READ)));
                    }
                } catch (java.io.IOException e) {
                    // the test closed the socket under the blocked writer: its way of stopping it
                }
            }, "flooding-writer");
            sender.setDaemon(true);
            sender.start();

            Wait.until(() -> backend.maxConnectionBuffered() >= (1 << 20), 10_000, "request data to pile up");
            long peak = 0;
            long end = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < end) {
                peak = Math.max(peak, backend.maxConnectionBuffered());
            }
            // a read already under way finishes: at most two pinned buffers past the limit, each counted at its
            // capacity, which is a frame plus whatever slack the buffer it was cumulated in had (at most the frame
            // again); against 64 MiB sent, the reading stopped
            long bound = (1 << 20) + 4L * (READ + FrameCodec.ENVELOPE_BYTES + FrameCodec.REQUEST_HEADER_BYTES);
            System.out.printf("request data: peak held %d bytes for a limit of %d (bound %d)%n", peak, 1 << 20, bound);
            assertThat(peak).isLessThanOrEqualTo(bound);
            assertThat(sender.isAlive()).as("the writer is blocked: the backend stopped reading").isTrue();
            writer.closeSocket();
            sender.join(10_000);
            assertThat(sender.isAlive()).isFalse();
            Wait.until(() -> backend.unanswered() == 0, 10_000, "every write to be stored or cancelled");
        }
    }
}
