package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.Frame;
import io.vblk.protocol.VirtioBlk;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Closing the backend answers every request it has received before it closes the connection. */
class GracefulCloseTest {
    @Test
    void requestsInServiceAreAnsweredBeforeTheConnectionCloses() throws Exception {
        Backend b = Backends.start("mode: aio\ndisk: {service-time: 100ms, parallelism: 1}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
        try (TestClient c = TestClient.attach(b, "d0")) {
            for (int i = 0; i < 8; i++) {
                c.send(BlkRequest.read(0, i, i, 512));
            }
            // the first completion proves the backend is serving; seven more wait behind it, 100 ms each
            Completion first = (Completion) c.next();
            first.release();
            assertThat(b.unanswered()).as("requests left for close to drain").isPositive();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(b::close);
            int answered = 1;
            Frame f;
            while ((f = c.next()) != null) {
                assertThat(((Completion) f).status()).isEqualTo(VirtioBlk.S_OK);
                ((Completion) f).release();
                answered++;
            }
            closing.join();
            assertThat(answered).isEqualTo(8);
            assertThat(b.unanswered()).isZero();
        }
    }
}
