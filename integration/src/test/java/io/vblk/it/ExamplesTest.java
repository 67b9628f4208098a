package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vblk.backend.Backend;
import io.vblk.cli.VblkMain;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each file of examples/ does what its comment says: the backend config starts a backend with both doors,
 * the load config drives it through the CLI, fio's job file drives its NBD door, and the scenario runs as an
 * experiment. Only the ports differ from the files (ephemeral here, so that parallel builds do not collide).
 */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).resolveSibling("examples");

    @TempDir
    Path dir;

    private static Backend startExampleBackend() throws Exception {
        // as `vblk backend --config` reads it: a problem is thrown as file:line: key: message
        BackendConfig cfg = ConfigLoader.backend(EXAMPLES.resolve("backend.yaml"));
        assertThat(cfg.nbd()).as("the example opens the NBD door").isNotNull();
        return Backend.start(cfg.withPort(0).withNbdPort(0));
    }

    /**
     * Runs {@code vblk ARGS} in this JVM: exit code, and what went to picocli's out and err (the experiment
     * command prints to System.out itself).
     */
    private static String[] vblk(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = VblkMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    @Test
    void theLoadExampleDrivesTheBackendExampleAndTheWeightsShow() throws Exception {
        try (Backend b = startExampleBackend()) {
            String[] r = vblk("load", "--config", EXAMPLES.resolve("load.yaml").toString(), "--target",
                    "127.0.0.1:" + b.address().getPort(), "--duration", "2s", "--warmup", "500ms", "-q",
                    "--output-format", "json");
            assertThat(r[0]).as("exit code; stderr: %s", r[2]).isEqualTo("0");
            Map<String, Double> share = new HashMap<>();
            for (JsonNode d : ConfigLoader.json().readTree(r[1]).path("devices")) {
                assertThat(d.path("ios").asLong()).as(d.path("name").asText()).isPositive();
                assertThat(d.path("errors").asLong()).isZero();
                share.put(d.path("name").asText(), d.path("share").asDouble());
            }
            assertThat(share).containsOnlyKeys("sda11", "sda12");
            assertThat(share.get("sda11")).as("the 80-weight device's share in aio mode").isGreaterThan(share.get("sda12"));
        }
    }

    @Test
    void theFioJobFileDrivesTheNbdDoorOfTheBackendExample() throws Exception {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(p, "fio"));
        }
        assumeTrue(found, "fio is not installed (Debian package fio)");
        try (Backend b = startExampleBackend()) {
            String job = Files.readString(EXAMPLES.resolve("nbd.fio"));
            assertThat(job).contains("nbd://127.0.0.1:10809/");
            Path copy = dir.resolve("nbd.fio");
            Files.writeString(copy, job.replace("nbd://127.0.0.1:10809/", "nbd://127.0.0.1:" + b.nbdAddress().getPort() + "/"));
            Path json = dir.resolve("fio.json");
            Path log = dir.resolve("fio.out");
            Process fio = new ProcessBuilder("fio", "--output-format=json", "--output=" + json, copy.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(fio.waitFor(120, TimeUnit.SECONDS)).as("fio finished within 120 s").isTrue();
            assertThat(fio.exitValue()).as("fio's exit code; it said: %s", Files.readString(log)).isZero();
            Map<String, Long> ios = new HashMap<>();
            for (JsonNode j : ConfigLoader.json().readTree(json.toFile()).path("jobs")) {
                assertThat(j.path("error").asInt()).as(j.path("jobname").asText()).isZero();
                ios.put(j.path("jobname").asText(), j.path("read").path("total_ios").asLong()
                        + j.path("write").path("total_ios").asLong());
            }
            assertThat(ios).containsOnlyKeys("sda11", "sda12");
            assertThat(ios.get("sda12")).isPositive();
            assertThat(ios.get("sda11")).as("the 80-weight export's I/Os against the 20-weight one's")
                    .isGreaterThan(ios.get("sda12"));
        }
    }

    @Test
    void theScenarioExampleRunsAsAnExperiment() throws Exception {
        Path json = dir.resolve("example.json");
        String[] r = vblk("experiment", EXAMPLES.resolve("scenario.yaml").toString(), "-q", "--json", json.toString(),
                "--out", dir.toString());
        assertThat(r[0]).as("exit code; stderr: %s", r[2]).isEqualTo("0");
        JsonNode root = ConfigLoader.json().readTree(json.toFile());
        Map<String, Double> sda11 = new HashMap<>();
        for (JsonNode v : root.path("variants")) {
            for (JsonNode d : v.path("devices")) {
                assertThat(d.path("ios").asDouble()).as("%s %s", v.path("label").asText(), d.path("name").asText())
                        .isPositive();
                if (d.path("name").asText().equals("sda11")) {
                    sda11.put(v.path("label").asText(), d.path("share").asDouble());
                }
            }
        }
        assertThat(sda11).containsOnlyKeys("sync", "aio");
        // what its description says: the weights act in aio mode, not in sync mode
        assertThat(sda11.get("aio")).isGreaterThan(sda11.get("sync"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("--out's charts").anyMatch(f -> f.endsWith(".png"));
        }
    }
}
