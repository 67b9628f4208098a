package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.backend.BackendMain;
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
    void theBackendPrintsTheParentPomsVersionAsTheToolsDo() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new BackendMain()).execute("--version")).isZero();
        } finally {
            System.setOut(saved);
        }
        String pom = Files.readString(Path.of("..", "pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<artifactId>vblk-parent</artifactId>\\s*"
                + "<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("vblk " + m.group(1));
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

    @Test
    void anAddressThatIsNoneIsNamedAtItsLine() throws Exception {
        Path cfg = dir.resolve("b.yaml");
        Files.writeString(cfg, "listen: 999.1.1.1\nport: 0\ndevices:\n  - {name: d, size: 1MiB}\n");
        String err = run("--config", cfg.toString());
        assertThat(err).startsWith(cfg + ":1: listen: cannot listen on 999.1.1.1:0: ").doesNotContain("null");
        assertThat(err.lines().count()).isEqualTo(1);
    }

    @Test
    void aVhostUserSocketPathThatIsAFileOrInNoFolderIsNamedAtItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path cfg = dir.resolve("b.yaml");
        Files.writeString(cfg, "port: 0\ndevices:\n  - {name: d, size: 1MiB}\n  - name: v\n    size: 1MiB\n"
                + "    vhost-user: {socket: \"" + file + "\"}\n");
        String err = run("--config", cfg.toString());
        assertThat(err).isEqualTo(cfg + ":6: devices[1].vhost-user.socket: cannot listen on " + file + ": " + file
                + " exists and is not a socket\n");
        assertThat(file).hasContent("x");

        Files.writeString(cfg, "port: 0\ndevices:\n  - name: v\n    size: 1MiB\n"
                + "    vhost-user: {socket: \"" + dir.resolve("none/v.sock") + "\"}\n");
        assertThat(run("--config", cfg.toString())).isEqualTo(cfg + ":5: devices[0].vhost-user.socket: cannot listen on "
                + dir.resolve("none/v.sock") + ": folder " + dir.resolve("none") + " does not exist\n");
    }

    @Test
    void anUnwritableRequestLogSaysWhy() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        Path cfg = dir.resolve("b.yaml");
        Files.writeString(cfg, "port: 0\nlog: {requests: \"" + notADir.resolve("r.jsonl") + "\"}\n"
                + "devices:\n  - {name: d, size: 1MiB}\n");
        String err = run("--config", cfg.toString());
        assertThat(err).startsWith(cfg + ":2: log.requests: cannot write " + notADir.resolve("r.jsonl") + ": ");
        assertThat(err.lines().count()).isEqualTo(1);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void tokenFilesThatAreNoTextAreRefusedWithoutReadingThemWhole() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
        Path huge = dir.resolve("huge");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(100L << 20);
        }
        String[][] cases = {
                {"/dev/zero", "/dev/zero is not a regular file"},
                {fifo.toString(), fifo + " is not a regular file"},
                {binary.toString(), binary + " is not UTF-8 text"},
                {huge.toString(), huge + " holds 104857600 bytes, more than the 65536 allowed"}};
        for (String[] c : cases) {
            Path cfg = dir.resolve("backend.yaml");
            Files.writeString(cfg, "port: 0\nauth:\n  token-file: \"" + c[0] + "\"\n"
                    + "devices:\n  - {name: d, size: 1MiB, store: ram}\n");
            String err = run("--config", cfg.toString());
            assertThat(err).isEqualTo(cfg + ":3: auth.token-file: " + c[1] + System.lineSeparator());
        }
    }
}
