package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A frontend that vanishes with requests in flight costs nothing: its requests end, its buffers go. */
class DisconnectTest {
    @ParameterizedTest
    @ValueSource(strings = {"sync", "aio"})
    void requestsInFlightOfAVanishedFrontendAreEndedAndOthersKeepCompleting(String mode) throws Exception {
        // a 20 ms disk with one slot: 64 requests take 1.28 s, so the close lands while requests are in flight
        // however slowly a loaded machine gets through the wait below
        try (Backend backend = Backends.start("mode: " + mode + "\ndisk: {service-time: 20ms}\n"
                + "devices:\n  - {name: gone, size: 4MiB, store: ram}\n  - {name: stays, size: 1MiB, store: ram}\n")) {
            try (TestClient other = TestClient.attach(backend, "stays")) {
                TestClient leaving = TestClient.attach(backend, "gone");
                for (int i = 0; i < 64; i++) {
                    leaving.send(i % 2 == 0 ? BlkRequest.read(0, i, i * 8L, 4096)
                            : BlkRequest.write(0, i, i * 8L, Unpooled.buffer(4096).writeZero(4096)));
                }
                Wait.until(() -> backend.stats().devices().get(0).received() == 64, 5000, "the requests to arrive");
                System.out.printf("%s: closing with %d requests unanswered%n", mode, backend.unanswered());
                assertThat(backend.unanswered()).isPositive();
                assertThat(backend.schedulerDispatched()).isPositive();
                leaving.close();

                for (int i = 0; i < 10; i++) {
                    Completion c = other.call(BlkRequest.read(0, 0, 0, 512));
                    c.release();
                    assertThat(c.status()).isEqualTo(VirtioBlk.S_OK);
                }
                Wait.until(() -> backend.unanswered() == 0, 10_000, "every request to be answered or cancelled");
                Wait.until(() -> backend.schedulerDispatched() == 0, 10_000, "the scheduler to drain");
                assertThat(backend.openConnections()).isEqualTo(1);
            }
        }
    }
}
