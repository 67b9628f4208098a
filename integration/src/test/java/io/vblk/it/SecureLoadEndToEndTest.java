package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.backend.Backend;
import io.vblk.backend.SelfSigned;
import io.vblk.config.BackendConfig;
import io.vblk.config.ByteSize;
import io.vblk.config.ConfigLoader;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Pattern;
import io.vblk.config.SettingException;
import io.vblk.load.LoadException;
import io.vblk.load.LoadRunner;
import io.vblk.report.ExperimentResult;
import io.vblk.result.LoadResult;
import io.vblk.scenario.ExperimentRunner;
import io.vblk.scenario.Scenario;
import io.vblk.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator through a token and TLS, as a backend with auth and tls configured wants it. */
class SecureLoadEndToEndTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    static Path dir;
    private static SelfSigned cert;
    private static Path token;
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSigned.in(dir);
        token = Files.writeString(dir.resolve("token"), "s3cret\n");
        BackendConfig cfg = ConfigLoader.parse("port: 0\n" + cert.yaml()
                + "auth: {token-file: \"" + token + "\"}\n"
                // 64 blocks of 4 KiB: even a slow run reads blocks it wrote, so verify has something to check
                + "devices:\n  - {name: vm1, size: 256KiB}\n", BackendConfig.class, "backend.yaml");
        assertThat(cfg.validate().list()).isEmpty();
        backend = Backend.start(cfg);
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    /** A load config as a person writes it, with the access lines given. */
    private static LoadConfig load(String access) {
        LoadConfig c = ConfigLoader.parse(access + "load:\n  - {device: vm1, processes: 4, pattern: randrw}\nverify: true\n",
                LoadConfig.class, "load.yaml").withTarget("127.0.0.1:" + backend.address().getPort());
        assertThat(c.validate().list()).isEmpty();
        return c;
    }

    @Test
    void verifiedLoadThroughTokenAndTls() {
        LoadConfig c = load("auth-token-file: \"" + token + "\"\ntls: {trust: \"" + cert.certificate() + "\"}\n");

        // long enough that even a slow first run (paranoid leak detection, cold JIT) reads blocks it wrote
        LoadResult r = new LoadRunner(c, LoadRunner.Options.of(Duration.ofMillis(500), Duration.ofSeconds(1))).run();

        assertThat(r.problems()).isEmpty();
        assertThat(r.lost()).isZero();
        assertThat(r.verify().checked()).isPositive();
        assertThat(r.verify().mismatches()).isZero();
        // the stats connections authenticated too: both window ends carry the backend's counters
        assertThat(r.backendEnd().device("vm1").completed()).isGreaterThan(r.backendStart().device("vm1").completed());
    }

    @Test
    void wrongTokenIsAUsageErrorThatDoesNotShowTheToken() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong"), "guess\n");
        LoadConfig c = load("auth-token-file: \"" + wrong + "\"\ntls: {trust: \"" + cert.certificate() + "\"}\n");

        assertThatThrownBy(() -> new LoadRunner(c, LoadRunner.Options.of(Duration.ZERO, SHORT)).run())
                .isInstanceOfSatisfying(LoadException.class, e -> assertThat(e.exitCode()).isEqualTo(LoadException.USAGE))
                .hasMessageContaining("authentication failed")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("guess");
    }

    @Test
    void plainLoadAgainstTheTlsBackendFailsInsteadOfHanging() {
        LoadConfig c = load("auth-token-file: \"" + token + "\"\n");

        long start = System.nanoTime();
        assertThatThrownBy(() -> new LoadRunner(c, LoadRunner.Options.of(Duration.ZERO, SHORT)).run())
                .isInstanceOf(LoadException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void unusableTrustFileNamesItsSetting() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        LoadConfig c = load("tls: {trust: \"" + junk + "\"}\n");

        assertThatThrownBy(() -> new LoadRunner(c, LoadRunner.Options.of(Duration.ZERO, SHORT)).run())
                .isInstanceOf(SettingException.class).hasMessageStartingWith("tls.trust: ");
    }

    @Test
    void anExperimentWhoseBackendWantsATokenAndTlsRunsThroughBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("secure.yaml"), String.join("\n",
                "name: secure",
                "duration: 1s",
                "warmup: 0s",
                "backend:",
                "  auth: {token-file: \"" + token + "\"}",
                "  tls: {certificate: \"" + cert.certificate() + "\", private-key: \"" + cert.privateKey() + "\"}",
                "  devices:",
                "    - {name: a, size: 16MiB}",
                "load:",
                "  - {device: a, processes: 2}",
                ""));
        Scenario s = ScenarioLoader.load(file.toString());

        ExperimentResult r = new ExperimentRunner(dir, null, v -> {}).run(s);

        assertThat(r.variants()).hasSize(1);
        assertThat(r.variants().get(0).devices().get(0).ios()).isPositive();
    }
}
