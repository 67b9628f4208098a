package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.vblk.config.SettingException;
import io.vblk.metrics.DoorCounters;
import io.vblk.protocol.Attach;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.ErrorCode;
import io.vblk.protocol.ErrorFrame;
import io.vblk.protocol.Frame;
import io.vblk.protocol.FrameCodec;
import io.vblk.protocol.StatsQuery;
import io.vblk.protocol.StatsReply;
import io.vblk.protocol.VirtioBlk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets in: a token on ATTACH and STATS_QUERY, TLS on the listener, and files that cannot serve refused at start. */
class SecurityTest {
    private static final String DEVICES = "devices:\n  - {name: d0, size: 1MiB, store: ram}\n";
    private static final String TOKEN = "correct horse battery staple";

    @TempDir
    static Path dir;
    private static SelfSigned cert;
    private static Path tokenFile;

    @BeforeAll
    static void files() throws Exception {
        cert = SelfSigned.in(dir);
        tokenFile = Files.writeString(dir.resolve("token"), "  " + TOKEN + "  \nsecond line is ignored\n");
    }

    private static SslContext trusting(Path certificate) throws Exception {
        return SslContextBuilder.forClient().trustManager(certificate.toFile()).build();
    }

    private static String auth() {
        return "auth: {token-file: \"" + tokenFile + "\"}\n";
    }

    @Test
    void tlsClientWritesAndReadsBack() throws Exception {
        try (Backend b = Backends.start(cert.yaml() + DEVICES);
             TestClient c = TestClient.attach(b, "d0", "", trusting(cert.certificate()))) {
            assertWritesAndReadsBack(c);
        }
    }

    @Test
    void plainClientAgainstTlsBackendIsClosedAndOthersAreStillServed() throws Exception {
        try (Backend b = Backends.start(cert.yaml() + DEVICES)) {
            try (TestClient plain = new TestClient(b.address())) {
                plain.send(new Attach(FrameCodec.VERSION, 1, "d0"));
                assertClosedWithin10s(plain);
            }
            try (TestClient c = TestClient.attach(b, "d0", "", trusting(cert.certificate()))) {
                assertWritesAndReadsBack(c);
            }
        }
    }

    @Test
    void aFailedTlsHandshakeIsARefusalLoggedAndCountedAsTlsAndOthersAreStillServed() throws Exception {
        SelfSigned stranger = SelfSigned.in(Files.createDirectories(dir.resolve("stranger")));
        try (Backend b = Backends.start(cert.yaml() + DEVICES); LogLines lines = new LogLines(ErrorHandler.class)) {
            // this client trusts another certificate than the backend's, so it aborts the handshake with an alert
            try (TestClient distrusting = new TestClient(b.address(), trusting(stranger.certificate()))) {
                assertClosedWithin10s(distrusting);
            }
            Wait.until(() -> virtioRefusals(b).get(DoorCounters.TLS) == 1, 10_000, "the TLS refusal to be counted");
            // anySatisfy: a line saying how many of another test's lines the throttle left out may come first
            assertThat(lines.warnings()).anySatisfy(l -> assertThat(l).contains("refused, the TLS handshake failed"));
            try (TestClient c = TestClient.attach(b, "d0", "", trusting(cert.certificate()))) {
                assertWritesAndReadsBack(c);
            }
            // a plain client on the TLS port is the wrong door's, not a second TLS refusal once its close has
            // reached the TLS handler too
            try (TestClient plain = new TestClient(b.address())) {
                plain.send(new Attach(FrameCodec.VERSION, 1, "d0"));
                assertClosedWithin10s(plain);
            }
            Wait.until(() -> b.openConnections() == 0, 10_000, "every connection to be closed on the backend's side");
            assertThat(virtioRefusals(b)).containsEntry(WrongDoor.WRONG_DOOR, 1L).containsEntry(DoorCounters.TLS, 1L);
        }
    }

    @Test
    void aRecordThatIsNotTlsAfterTlsFirstBytesIsATlsRefusalAndNoInternalError() throws Exception {
        long internal = ErrorHandler.INTERNAL_ERRORS.sum();
        try (Backend b = Backends.start(cert.yaml() + DEVICES)) {
            try (TestClient c = new TestClient(b.address())) {
                // a handshake record's type and major version, so the wrong door passes it, then no TLS at all
                c.sendRaw(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x7f, 0x00, 0x05, 1, 2, 3, 4, 5}));
                assertClosedWithin10s(c);
            }
            Wait.until(() -> virtioRefusals(b).get(DoorCounters.TLS) == 1, 10_000, "the TLS refusal to be counted");
            Wait.until(() -> b.openConnections() == 0, 10_000, "the connection to be closed on the backend's side");
            assertThat(virtioRefusals(b)).containsEntry(WrongDoor.WRONG_DOOR, 0L);
        }
        assertThat(ErrorHandler.INTERNAL_ERRORS.sum()).as("internal errors").isEqualTo(internal);
    }

    @Test
    void aTlsHandshakeThatStallsIsTheDeadlinesRefusalLimit() throws Exception {
        try (Backend b = Backends.start(cert.yaml() + "limits: {idle-timeout: 300ms}\n" + DEVICES)) {
            try (TestClient c = new TestClient(b.address())) {
                // TLS's first bytes, then nothing: the handshake cannot finish within limits.idle-timeout
                c.sendRaw(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03}));
                assertClosedWithin10s(c);
            }
            Wait.until(() -> virtioRefusals(b).get("limit") == 1, 10_000, "the deadline's refusal to be counted");
            Wait.until(() -> b.openConnections() == 0, 10_000, "the connection to be closed on the backend's side");
            assertThat(virtioRefusals(b)).containsEntry(DoorCounters.TLS, 0L);
        }
    }

    private static java.util.Map<String, Long> virtioRefusals(Backend b) {
        return b.reading().doors().stream().filter(d -> d.door().equals(DoorCounters.VIRTIO))
                .findFirst().orElseThrow().refusals();
    }

    @Test
    void rightTokenAttachesAndItsStatsQueryIsAnswered() throws Exception {
        try (Backend b = Backends.start(auth() + DEVICES);
             TestClient c = TestClient.attach(b, "d0", TOKEN, null)) {
            assertWritesAndReadsBack(c);
            c.send(new StatsQuery(TOKEN));
            assertThat(c.next()).isInstanceOf(StatsReply.class);
        }
    }

    @Test
    void wrongOrMissingTokenIsRefusedWithoutNamingAnySecret() throws Exception {
        try (Backend b = Backends.start(auth() + DEVICES)) {
            for (String presented : new String[] {"", "correct horse battery stapl", TOKEN + "x"}) {
                try (TestClient c = new TestClient(b.address())) {
                    c.send(new Attach(FrameCodec.VERSION, 1, "d0", presented));
                    ErrorFrame e = c.expectErrorThenClose();
                    assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
                    assertThat(e.message()).isEqualTo("authentication failed");
                }
            }
            // nor does an unauthenticated client learn the device names by asking for one that does not exist
            try (TestClient c = new TestClient(b.address())) {
                c.send(new Attach(FrameCodec.VERSION, 1, "nope", "wrong"));
                assertThat(c.expectErrorThenClose().message()).doesNotContain("d0").doesNotContain(TOKEN);
            }
            try (TestClient c = TestClient.attach(b, "d0", TOKEN, null)) {
                assertWritesAndReadsBack(c);
            }
        }
    }

    @Test
    void statsQueryWithoutTheTokenIsRefused() throws Exception {
        try (Backend b = Backends.start(auth() + DEVICES); TestClient c = new TestClient(b.address())) {
            c.send(new StatsQuery());
            ErrorFrame e = c.expectErrorThenClose();
            assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        }
    }

    @Test
    void withoutAuthAnyTokenAndNoneAreAccepted() throws Exception {
        try (Backend b = Backends.start(DEVICES)) {
            try (TestClient c = TestClient.attach(b, "d0", "anything", null)) {
                assertWritesAndReadsBack(c);
            }
            try (TestClient c = new TestClient(b.address())) {
                c.send(new StatsQuery());
                assertThat(c.next()).isInstanceOf(StatsReply.class);
            }
        }
    }

    @Test
    void unusableTokenFileIsASettingError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> Backends.start("auth: {token-file: \"" + empty + "\"}\n" + DEVICES))
                .isInstanceOf(SettingException.class).hasMessageStartingWith("auth.token-file: ").hasMessageContaining("empty");
        assertThatThrownBy(() -> Backends.start("auth: {token-file: \"" + dir.resolve("missing") + "\"}\n" + DEVICES))
                .isInstanceOf(SettingException.class).hasMessageContaining("auth.token-file: ").hasMessageContaining("no such file");
    }

    @Test
    void unusableCertificateOrKeyNamesItsSetting() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a pem file\n");
        String badCert = "tls: {certificate: \"" + junk + "\", private-key: \"" + cert.privateKey() + "\"}\n";
        String badKey = "tls: {certificate: \"" + cert.certificate() + "\", private-key: \"" + junk + "\"}\n";
        String noKey = "tls: {certificate: \"" + cert.certificate() + "\", private-key: \"" + dir.resolve("none") + "\"}\n";
        assertThatThrownBy(() -> Backends.start(badCert + DEVICES)).isInstanceOf(SettingException.class)
                .hasMessageStartingWith("tls.certificate: ");
        assertThatThrownBy(() -> Backends.start(badKey + DEVICES)).isInstanceOf(SettingException.class)
                .hasMessageStartingWith("tls.private-key: ");
        assertThatThrownBy(() -> Backends.start(noKey + DEVICES)).isInstanceOf(SettingException.class)
                .hasMessageStartingWith("tls.private-key: ").hasMessageContaining("no such file");
    }

    private static void assertWritesAndReadsBack(TestClient c) throws Exception {
        byte[] data = new byte[4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Completion w = c.call(BlkRequest.write(0, 1, 8, Unpooled.wrappedBuffer(data)));
        w.release();
        assertThat(w.status()).isEqualTo(VirtioBlk.S_OK);
        Completion r = c.call(BlkRequest.read(0, 2, 8, data.length));
        try {
            assertThat(r.status()).isEqualTo(VirtioBlk.S_OK);
            assertThat(DataPathTest.bytes(r.data())).isEqualTo(data);
        } finally {
            r.release();
        }
    }

    /** Whatever arrives before the close is ignored; the point is that the connection ends instead of hanging. */
    private static void assertClosedWithin10s(TestClient c) throws Exception {
        Frame f;
        while ((f = c.next()) != null) {
            ReferenceCountUtil.release(f);
        }
        assertThat(c.isOpen()).isFalse();
    }
}
