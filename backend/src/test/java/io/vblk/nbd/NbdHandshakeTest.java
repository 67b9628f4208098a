package io.vblk.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.backend.Backend;
import io.vblk.protocol.nbd.Nbd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixed newstyle handshake: options, their replies and errors, and the ways into transmission. */
class NbdHandshakeTest {
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        backend = NbdBackends.start("devices:\n  - {name: d0, size: 1MiB, store: ram}\n"
                + "  - {name: ro, size: 2MiB, store: ram, read-only: true}\n");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static NbdClient connect() throws IOException {
        return NbdClient.connect(backend.nbdAddress());
    }

    @Test
    void greetingOffersFixedNewstyleAndNoZeroes() throws Exception {
        try (NbdClient c = connect()) {
            assertThat(c.handshakeFlags()).isEqualTo(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES);
        }
    }

    @Test
    void listNamesEveryDeviceInConfigOrder() throws Exception {
        try (NbdClient c = connect()) {
            assertThat(c.list()).containsExactly("d0", "ro");
            // the handshake goes on after it
            assertThat(c.list()).hasSize(2);
        }
    }

    @Test
    void infoTellsSizeFlagsNameDescriptionAndBlockSizesAndStaysInTheHandshake() throws Exception {
        try (NbdClient c = connect()) {
            NbdClient.Info i = c.info(Nbd.OPT_INFO, "d0");
            assertThat(i.error()).isNull();
            assertThat(i.size()).isEqualTo(1 << 20);
            assertThat(i.flags()).isEqualTo(Nbd.FLAG_HAS_FLAGS | Nbd.FLAG_SEND_FLUSH | Nbd.FLAG_SEND_FUA
                    | Nbd.FLAG_SEND_TRIM | Nbd.FLAG_SEND_WRITE_ZEROES | Nbd.FLAG_CAN_MULTI_CONN);
            assertThat(i.name()).isEqualTo("d0");
            assertThat(i.description()).contains("d0").contains("ram").contains("aio");
            assertThat(new int[] {i.minBlock(), i.preferredBlock(), i.maxBlock()}).containsExactly(512, 4096, 4 << 20);
            assertThat(c.list()).containsExactly("d0", "ro");
        }
    }

    @Test
    void readOnlyExportSaysSoAndOffersNoWrites() throws Exception {
        try (NbdClient c = connect()) {
            NbdClient.Info i = c.info(Nbd.OPT_GO, "ro");
            assertThat(i.size()).isEqualTo(2 << 20);
            assertThat(i.has(Nbd.FLAG_READ_ONLY)).isTrue();
            assertThat(i.has(Nbd.FLAG_SEND_TRIM) || i.has(Nbd.FLAG_SEND_WRITE_ZEROES) || i.has(Nbd.FLAG_SEND_FUA)).isFalse();
        }
    }

    @Test
    void unknownExportIsErrUnknownAndTheHandshakeGoesOn() throws Exception {
        try (NbdClient c = connect()) {
            NbdClient.Info i = c.info(Nbd.OPT_GO, "nope");
            assertThat(i.error()).isEqualTo(Nbd.REP_ERR_UNKNOWN);
            assertThat(i.message()).contains("'nope'");
            assertThat(c.info(Nbd.OPT_GO, "d0").error()).isNull();
            assertThat(c.read(0, 512).error()).isZero();
        }
    }

    @Test
    void unknownOptionsAreErrUnsupAndTheHandshakeGoesOn() throws Exception {
        try (NbdClient c = connect()) {
            for (int option : new int[] {99, Nbd.OPT_LIST_META_CONTEXT, Nbd.OPT_SET_META_CONTEXT, Nbd.OPT_EXTENDED_HEADERS}) {
                NbdClient.OptionReply r = c.option(option, new byte[] {1, 2, 3});
                assertThat(r.option()).isEqualTo(option);
                assertThat(r.type()).isEqualTo(Nbd.REP_ERR_UNSUP);
            }
            assertThat(c.list()).hasSize(2);
        }
    }

    @Test
    void optionDataOverTheBoundIsTooBigSkippedUnbufferedAndTheHandshakeGoesOn() throws Exception {
        try (NbdClient c = connect()) {
            NbdClient.OptionReply r = c.option(Nbd.OPT_GO, new byte[100_000]);
            assertThat(r.type()).isEqualTo(Nbd.REP_ERR_TOO_BIG);
            assertThat(r.message()).contains("100000");
            assertThat(c.list()).hasSize(2);
        }
    }

    @Test
    void malformedInfoDataIsErrInvalid() throws Exception {
        try (NbdClient c = connect()) {
            assertThat(c.option(Nbd.OPT_GO, new byte[3]).type()).isEqualTo(Nbd.REP_ERR_INVALID);
            byte[] lying = ByteBuffer.allocate(10).putInt(1000).array();
            assertThat(c.option(Nbd.OPT_INFO, lying).type()).isEqualTo(Nbd.REP_ERR_INVALID);
            assertThat(c.option(Nbd.OPT_LIST, new byte[1]).type()).isEqualTo(Nbd.REP_ERR_INVALID);
            assertThat(c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[1]).type()).isEqualTo(Nbd.REP_ERR_INVALID);
        }
    }

    @Test
    void startTlsWithoutTlsConfiguredIsErrPolicy() throws Exception {
        try (NbdClient c = connect()) {
            assertThat(c.option(Nbd.OPT_STARTTLS, new byte[0]).type()).isEqualTo(Nbd.REP_ERR_POLICY);
            assertThat(c.list()).hasSize(2);
        }
    }

    @Test
    void abortIsAcknowledgedThenClosed() throws Exception {
        try (NbdClient c = connect()) {
            assertThat(c.option(Nbd.OPT_ABORT, new byte[0]).type()).isEqualTo(Nbd.REP_ACK);
            assertThat(c.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void exportNameAttachesWithSizeAndFlags() throws Exception {
        try (NbdClient c = connect()) {
            NbdClient.Info i = c.exportName("d0");
            assertThat(i.size()).isEqualTo(1 << 20);
            assertThat(i.has(Nbd.FLAG_HAS_FLAGS) && i.has(Nbd.FLAG_SEND_FLUSH)).isTrue();
            byte[] data = NbdCommandsTest.random(4096, 7);
            assertThat(c.write(4096, data, 0).error()).isZero();
            NbdClient.Reply r = c.read(4096, 4096);
            assertThat(r.structured()).isFalse();
            assertThat(r.data()).isEqualTo(data);
        }
    }

    @Test
    void exportNameWithZeroesWhenTheClientDidNotAskForNone() throws Exception {
        try (NbdClient c = NbdClient.greeted(backend.nbdAddress())) {
            c.sendClientFlags(Nbd.FLAG_C_FIXED_NEWSTYLE);
            c.sendOption(Nbd.OPT_EXPORT_NAME, "ro".getBytes());
            byte[] reply = new byte[10 + 124];
            for (int i = 0; i < reply.length; i++) {
                reply[i] = (byte) c.readByte();
            }
            ByteBuffer b = ByteBuffer.wrap(reply);
            assertThat(b.getLong()).isEqualTo(2 << 20);
            assertThat(b.getShort() & Nbd.FLAG_READ_ONLY).isNotZero();
            assertThat(c.read(0, 512).error()).isZero();
        }
    }

    @Test
    void exportNameOfAnUnknownExportCloses() throws Exception {
        long before = handshakeRefusals();
        try (NbdClient c = connect()) {
            c.sendOption(Nbd.OPT_EXPORT_NAME, "nope".getBytes());
            assertThat(c.closedWithin(5000)).isTrue();
        }
        // counted before the close the client saw
        assertThat(handshakeRefusals() - before).as("the NBD door's refusals for a handshake").isEqualTo(1);
    }

    private static long handshakeRefusals() {
        return backend.reading().doors().stream().filter(d -> d.door().equals(io.vblk.metrics.DoorCounters.NBD))
                .findFirst().orElseThrow().refusals().get(NbdHandshake.HANDSHAKE);
    }

    @Test
    void structuredRepliesAreAcknowledged() throws Exception {
        try (NbdClient c = connect()) {
            assertThat(c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(Nbd.REP_ACK);
        }
    }

    @Test
    void unknownClientFlagsClose() throws Exception {
        try (NbdClient c = NbdClient.greeted(backend.nbdAddress())) {
            c.sendClientFlags(1 << 7);
            assertThat(c.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void badOptionMagicCloses() throws Exception {
        try (NbdClient c = connect()) {
            c.sendRaw(new byte[16]);
            assertThat(c.closedWithin(5000)).isTrue();
        }
        assertThatThrownBy(() -> {
            try (NbdClient c = connect()) {
                c.sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes());
                c.list();
            }
        }).isInstanceOf(IOException.class);
    }
}
