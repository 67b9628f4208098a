package io.vblk.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import io.vblk.protocol.nbd.Nbd;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** limits.* on the NBD door: the idle timeout, one connection count shared with the main listener; a port in use. */
class NbdLimitsTest {
    private Backend backend;

    @BeforeEach
    void start() throws Exception {
        backend = NbdBackends.start("limits: {idle-timeout: 300ms, max-connections: 2}\n"
                + "devices:\n  - {name: d0, size: 1MiB, store: ram}\n");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void aHandshakeThatSaysNothingIsClosedAfterTheIdleTimeout() throws Exception {
        try (NbdClient c = NbdClient.connect(backend.nbdAddress())) {
            long t0 = System.nanoTime();
            assertThat(c.closedWithin(5000)).isTrue();
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(250_000_000L);
        }
    }

    @Test
    void aGoOptionSentOneByteAtATimeIsClosedAtTheHandshakeDeadline() throws Exception {
        try (NbdClient c = NbdClient.greeted(backend.nbdAddress())) {
            long t0 = System.nanoTime();
            c.sendClientFlags(Nbd.FLAG_C_FIXED_NEWSTYLE);
            java.nio.ByteBuffer go = java.nio.ByteBuffer.allocate(16 + 8).putLong(Nbd.IHAVEOPT).putInt(Nbd.OPT_GO)
                    .putInt(8).putInt(2).put((byte) 'd').put((byte) '0').putShort((short) 0);
            boolean closed = false;
            for (int i = 0; i < go.capacity() - 1 && !closed; i++) {
                c.sendRaw(new byte[] {go.get(i)});
                closed = c.closedWithin(50);
            }
            assertThat(closed).as("closed before the option was complete").isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 900L);
        }
    }

    @Test
    void aPartialRequestIsClosedAfterTheIdleTimeoutAndAQuietAttachedOneIsNot() throws Exception {
        try (NbdClient quiet = NbdClient.attach(backend.nbdAddress(), "d0", false)) {
            try (NbdClient partial = NbdClient.attach(backend.nbdAddress(), "d0", false)) {
                partial.sendRaw(new byte[] {0x25, 0x60, (byte) 0x95, 0x13, 0, 0});
                assertThat(partial.closedWithin(5000)).isTrue();
            }
            assertThat(quiet.closedWithin(700)).isFalse();
            assertThat(quiet.read(0, 512).error()).isZero();
        }
    }

    @Test
    void anNbdPortInUseStopsTheStartAndNamesTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String yaml = "port: 0\nnbd: {port: " + taken.getLocalPort() + "}\ndevices:\n  - {name: d0, size: 1MiB}\n";
            assertThatThrownBy(() -> Backend.start(ConfigLoader.parse(yaml, BackendConfig.class, "test.yaml")))
                    .isInstanceOf(io.vblk.config.SettingException.class)
                    .hasMessageStartingWith("nbd.port: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void theConnectionCountIsSharedWithTheMainListener() throws Exception {
        try (Socket first = new Socket("127.0.0.1", backend.address().getPort())) {
            try (NbdClient second = NbdClient.attach(backend.nbdAddress(), "d0", false)) {
                NbdBackends.waitUntil(() -> backend.openConnections() == 2, 5000, "two connections open");
                // the third, on either door, is refused: on NBD with a close, no greeting and no virtio ERROR frame
                try (Socket third = new Socket("127.0.0.1", backend.nbdAddress().getPort())) {
                    third.setSoTimeout(5000);
                    assertThat(third.getInputStream().readAllBytes()).isEmpty();
                }
                assertThat(second.read(0, 512).error()).isZero();
            }
            NbdBackends.waitUntil(() -> backend.openConnections() == 1, 5000, "a slot freed");
            try (NbdClient again = NbdClient.attach(backend.nbdAddress(), "d0", true)) {
                assertThat(again.read(0, 512).error()).isZero();
                assertThat(again.call(Nbd.CMD_FLUSH, 0, 0, 0, null).error()).isZero();
            }
        }
    }
}
