package io.vblk.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.backend.Backend;
import io.vblk.backend.SelfSigned;
import io.vblk.backend.Wait;
import io.vblk.metrics.DoorCounters;
import io.vblk.protocol.nbd.Nbd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets in through the NBD door: TOKEN/DEVICE export names with auth, FORCEDTLS with tls. */
class NbdSecurityTest {
    private static final String DEVICES = "devices:\n  - {name: d0, size: 1MiB, store: ram}\n";
    // base64 tokens may hold '/': the export name is split at its last one
    private static final String TOKEN = "s3cr/et+token==";

    @TempDir
    static Path dir;
    private static SelfSigned cert;
    private static Path tokenFile;

    @BeforeAll
    static void files() throws Exception {
        cert = SelfSigned.in(dir);
        tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    }

    private static String auth() {
        return "auth: {token-file: \"" + tokenFile + "\"}\n";
    }

    @Test
    void withAuthTheExportNameIsTokenSlashDevice() throws Exception {
        try (Backend b = NbdBackends.start(auth() + DEVICES);
             NbdClient c = NbdClient.attach(b.nbdAddress(), TOKEN + "/d0", true)) {
            byte[] data = NbdCommandsTest.random(4096, 11);
            assertThat(c.write(0, data, 0).error()).isZero();
            assertThat(c.read(0, 4096).data()).isEqualTo(data);
        }
    }

    @Test
    void aWrongOrMissingTokenIsRefusedWithoutNamingAnything() throws Exception {
        try (Backend b = NbdBackends.start(auth() + DEVICES);
             NbdClient c = NbdClient.connect(b.nbdAddress())) {
            for (String name : new String[] {"guess/d0", "d0", "", TOKEN + "x/d0", "/d0"}) {
                NbdClient.Info i = c.info(Nbd.OPT_GO, name);
                assertThat(i.error()).as(name).isEqualTo(Nbd.REP_ERR_UNKNOWN);
                assertThat(i.message()).as(name).isEqualTo("authentication failed");
            }
            NbdClient.Info unknown = c.info(Nbd.OPT_INFO, TOKEN + "/nope");
            assertThat(unknown.error()).isEqualTo(Nbd.REP_ERR_UNKNOWN);
            assertThat(unknown.message()).doesNotContain(TOKEN);
            // the name reported back is the device's, never the token
            assertThat(c.info(Nbd.OPT_INFO, TOKEN + "/d0").name()).isEqualTo("d0");
        }
    }

    @Test
    void withAuthListingIsRefusedByPolicy() throws Exception {
        try (Backend b = NbdBackends.start(auth() + DEVICES);
             NbdClient c = NbdClient.connect(b.nbdAddress())) {
            NbdClient.OptionReply r = c.option(Nbd.OPT_LIST, new byte[0]);
            assertThat(r.type()).isEqualTo(Nbd.REP_ERR_POLICY);
            assertThat(r.message()).isEqualTo("listing exports is off while auth is on");
        }
    }

    @Test
    void withAuthExportNameWithABadTokenCloses() throws Exception {
        try (Backend b = NbdBackends.start(auth() + DEVICES);
             NbdClient c = NbdClient.connect(b.nbdAddress())) {
            c.sendOption(Nbd.OPT_EXPORT_NAME, "guess/d0".getBytes());
            assertThat(c.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void withTlsStartTlsThenGoServesOverTls() throws Exception {
        try (Backend b = NbdBackends.start(cert.yaml() + DEVICES);
             NbdClient c = NbdClient.connect(b.nbdAddress())) {
            assertThat(c.startTls(cert.certificate(), b.nbdAddress()).type()).isEqualTo(Nbd.REP_ACK);
            assertThat(c.list()).containsExactly("d0");
            assertThat(c.option(Nbd.OPT_STARTTLS, new byte[0]).type()).isEqualTo(Nbd.REP_ERR_INVALID);
            assertThat(c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(Nbd.REP_ACK);
            assertThat(c.info(Nbd.OPT_GO, "d0").error()).isNull();
            byte[] data = NbdCommandsTest.random(65536, 12);
            assertThat(c.write(0, data, Nbd.CMD_FLAG_FUA).error()).isZero();
            assertThat(c.read(0, 65536).data()).isEqualTo(data);
        }
    }

    @Test
    void aHandshakeThatFailsAfterStartTlsIsCountedAsATlsRefusal() throws Exception {
        SelfSigned stranger = SelfSigned.in(Files.createDirectories(dir.resolve("stranger")));
        try (Backend b = NbdBackends.start(cert.yaml() + DEVICES)) {
            try (NbdClient c = NbdClient.connect(b.nbdAddress())) {
                // the client trusts another certificate, so it aborts the handshake the backend has begun (and
                // closes its socket)
                assertThatThrownBy(() -> c.startTls(stranger.certificate(), b.nbdAddress()))
                        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            }
            Wait.until(() -> nbdRefusals(b).get(DoorCounters.TLS) == 1, 10_000, "the TLS refusal to be counted");
            assertThat(nbdRefusals(b)).containsEntry(NbdHandshake.HANDSHAKE, 0L);
            try (NbdClient c = NbdClient.connect(b.nbdAddress())) {
                assertThat(c.startTls(cert.certificate(), b.nbdAddress()).type()).isEqualTo(Nbd.REP_ACK);
                assertThat(c.list()).containsExactly("d0");
            }
        }
    }

    private static java.util.Map<String, Long> nbdRefusals(Backend b) {
        return b.reading().doors().stream().filter(d -> d.door().equals(DoorCounters.NBD))
                .findFirst().orElseThrow().refusals();
    }

    @Test
    void withTlsEveryOptionBeforeStartTlsIsTlsRequiredButAbortWorks() throws Exception {
        try (Backend b = NbdBackends.start(cert.yaml() + DEVICES)) {
            try (NbdClient c = NbdClient.connect(b.nbdAddress())) {
                for (int option : new int[] {Nbd.OPT_LIST, Nbd.OPT_GO, Nbd.OPT_INFO, Nbd.OPT_STRUCTURED_REPLY, 99}) {
                    assertThat(c.option(option, new byte[0]).type()).as("option %d", option).isEqualTo(Nbd.REP_ERR_TLS_REQD);
                }
                assertThat(c.option(Nbd.OPT_ABORT, new byte[0]).type()).isEqualTo(Nbd.REP_ACK);
                assertThat(c.closedWithin(5000)).isTrue();
            }
            try (NbdClient c = NbdClient.connect(b.nbdAddress())) {
                c.sendOption(Nbd.OPT_EXPORT_NAME, "d0".getBytes());
                assertThat(c.closedWithin(5000)).isTrue();
            }
        }
    }
}
