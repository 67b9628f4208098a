package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.cli.BackendMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Mistakes in what a person gives the backend: one precise line, exit code 2, nothing started. */
class BackendMainTest {
    @TempDir
    Path dir;

    private String run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int rc = new CommandLine(new BackendMain()).execute(args);
            assertThat(rc).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unopenableImageNamesTheFileLineAndKey() throws Exception {
        Path cfg = dir.resolve("b.yaml");
        Files.writeString(cfg, "port: 0\ndevices:\n  - name: ok\n    size: 1MiB\n  - name: bad\n    size: 1MiB\n"
                + "    store: \"file:" + dir + "\"\n");
        String err = run("--config", cfg.toString());
        assertThat(err).startsWith(cfg + ":7: devices[1].store: ");
        assertThat(err.lines().count()).isEqualTo(1);
    }

    @Test
    void imageSmallerThanTheConfiguredSize() throws Exception {
        Path image = dir.resolve("small.raw");
        Files.write(image, new byte[4096]);
        Path cfg = dir.resolve("b.yaml");
        Files.writeString(cfg, "port: 0\ndevices:\n  - {name: d, size: 1MiB, store: \"file:" + image + "\"}\n");
        assertThat(run("--config", cfg.toString())).contains("devices[0].store").contains("holds 4096 bytes");
    }

    @Test
    void badModeOnTheCommandLine() throws Exception {
        Path cfg = dir.resolve("b.yaml");
        Files.writeString(cfg, "port: 0\ndevices:\n  - {name: d, size: 1MiB}\n");
        assertThat(run("--config", cfg.toString(), "--mode", "async")).contains("'async' is not allowed; allowed: sync, aio");
    }

    @Test
    void unusableTokenFileIsReportedAtItsLine() throws Exception {
        Path cfg = dir.resolve("backend.yaml");
        Files.writeString(cfg, "port: 0\nauth:\n  token-file: \"" + dir.resolve("missing") + "\"\n"
                + "devices:\n  - {name: d, size: 1MiB, store: ram}\n");
        String err = run("--config", cfg.toString());
        assertThat(err).startsWith(cfg + ":3: auth.token-file: ").contains("no such file");
        assertThat(err.lines().count()).isEqualTo(1);
    }
}
