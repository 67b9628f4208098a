package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vblk's NBD door against real, independently written clients (Debian's libnbd-bin, qemu-utils and fio), run
 * as processes against a backend in this JVM. Each test skips, naming the missing package, where the client is
 * not installed; `.ci/run` installs them. bench/nbd-clients.sh runs the same checks at length.
 */
class NbdClientsTest {
    @TempDir
    Path dir;

    private Backend start(String devicesAndMore) throws IOException {
        BackendConfig cfg = ConfigLoader.parse("listen: 127.0.0.1\nport: 0\nnbd: {port: 0}\n" + devicesAndMore,
                BackendConfig.class, "backend.yaml");
        assertThat(cfg.validate().list()).isEmpty();
        return Backend.start(cfg);
    }

    private static String uri(Backend b, String export) {
        return "nbd://127.0.0.1:" + b.nbdAddress().getPort() + "/" + export;
    }

    private static void require(String command, String debianPackage) {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(p, command));
        }
        assumeTrue(found, command + " is not installed (Debian package " + debianPackage + ")");
    }

    /** Runs a client to completion (at most 120 s) and returns its stdout; a non-zero exit fails the test. */
    private String run(String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        // in the test's own folder: fio may leave state files in its working directory
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
        }
        assertThat(p.exitValue()).as("%s exit code; stderr: %s", String.join(" ", command), Files.readString(err))
                .isZero();
        return Files.readString(out);
    }

    /** Runs fio with JSON output to a file (its nbd engine also prints a line of its own to stdout). */
    private JsonNode fio(String... args) throws Exception {
        Path json = Files.createTempFile(dir, "fio", ".json");
        List<String> cmd = new ArrayList<>(List.of("fio", "--output-format=json", "--output=" + json));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
        return ConfigLoader.json().readTree(json.toFile());
    }

    @Test
    void nbdinfoShowsTheExportsWithTheirSizesAndReadOnlyFlags() throws Exception {
        require("nbdinfo", "libnbd-bin");
        try (Backend b = start("devices:\n  - {name: ram0, size: 64MiB}\n  - {name: ro0, size: 16MiB, read-only: true}\n")) {
            JsonNode list = ConfigLoader.json().readTree(run("nbdinfo", "--list", "--json",
                    "nbd://127.0.0.1:" + b.nbdAddress().getPort()));
            List<String> names = new ArrayList<>();
            list.path("exports").forEach(e -> names.add(e.path("export-name").asText()));
            assertThat(names).containsExactlyInAnyOrder("ram0", "ro0");

            JsonNode ram = ConfigLoader.json().readTree(run("nbdinfo", "--json", uri(b, "ram0"))).path("exports").get(0);
            assertThat(ram.path("export-size").asLong()).isEqualTo(64L << 20);
            assertThat(ram.path("is_read_only").asBoolean()).isFalse();
            assertThat(ram.path("can_flush").asBoolean()).isTrue();
            assertThat(ram.path("can_trim").asBoolean()).isTrue();
            assertThat(ram.path("can_zero").asBoolean()).isTrue();
            assertThat(ram.path("can_fua").asBoolean()).isTrue();
            assertThat(ram.path("can_multi_conn").asBoolean()).isTrue();
            assertThat(ram.path("block_size_maximum").asLong()).isEqualTo(4L << 20);
            JsonNode ro = ConfigLoader.json().readTree(run("nbdinfo", "--json", uri(b, "ro0"))).path("exports").get(0);
            assertThat(ro.path("export-size").asLong()).isEqualTo(16L << 20);
            assertThat(ro.path("is_read_only").asBoolean()).isTrue();
        }
    }

    @Test
    void qemuImgConvertsAnImageIntoAFileBackedExportAndBackOutByteIdentical() throws Exception {
        require("qemu-img", "qemu-utils");
        byte[] image = new byte[6 << 20];
        new Random(6).nextBytes(image);
        Path in = dir.resolve("in.img");
        Path out = dir.resolve("out.img");
        Files.write(in, image);
        // the export is larger than the image: qemu-img -n writes the image's 6 MiB and leaves the rest zero
        try (Backend b = start("devices:\n  - {name: img0, size: 8MiB, store: \"file:" + dir.resolve("img0.raw") + "\"}\n")) {
            run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", in.toString(), uri(b, "img0"));
            run("qemu-img", "convert", "-f", "raw", "-O", "raw", uri(b, "img0"), out.toString());
            assertThat(b.unanswered()).isZero();
        }
        byte[] back = Files.readAllBytes(out);
        assertThat(back).hasSize(8 << 20);
        assertThat(java.util.Arrays.mismatch(back, 0, image.length, image, 0, image.length)).as("first differing byte")
                .isEqualTo(-1);
        assertThat(java.util.Arrays.copyOfRange(back, image.length, back.length)).containsOnly((byte) 0);
        assertThat(Files.mismatch(out, dir.resolve("img0.raw"))).as("the backend's image file").isEqualTo(-1L);
    }

    @Test
    void fioRandomWritesVerifyWithCrc32cAtDepthOneAndThirtyTwo() throws Exception {
        require("fio", "fio");
        try (Backend b = start("devices:\n  - {name: ram0, size: 16MiB}\n")) {
            for (int depth : new int[] {1, 32}) {
                JsonNode job = fio("--name=verify", "--ioengine=nbd", "--uri=" + uri(b, "ram0"), "--rw=randwrite",
                        "--bs=4k", "--iodepth=" + depth, "--size=4M", "--verify=crc32c", "--do_verify=1",
                        "--verify_fatal=1", "--verify_state_save=0").path("jobs").get(0);
                assertThat(job.path("error").asInt()).as("fio error at iodepth %d", depth).isZero();
                // 4 MiB in 4 KiB blocks, every one written and read back and checked
                assertThat(job.path("write").path("total_ios").asLong()).isEqualTo(1024);
                assertThat(job.path("read").path("total_ios").asLong()).isEqualTo(1024);
            }
            assertThat(b.stats().devices().get(0).errors()).isZero();
        }
    }

    /**
     * The seed with fio as the guest: two NBD connections with 128 in flight each, devices weighted 80/20 behind
     * an emulated disk of 8 000 IOPS. In aio mode the scheduler sees both backlogged and splits 80/20; in sync
     * mode each connection has one request in service and the split collapses to 50/50. Tolerances as the
     * built-in scenarios' end-to-end tests: fio's own per-job IOPS over about 10 000 I/Os.
     */
    @Test
    void twoFioJobsOnExportsWeightedEightyTwentySplitThatWayOnlyInAioMode() throws Exception {
        require("fio", "fio");
        assertThat(fioShare("aio")).as("aio: sda11's share").isCloseTo(0.80, within(0.03));
        assertThat(fioShare("sync")).as("sync: sda11's share").isCloseTo(0.50, within(0.06));
    }

    private double fioShare(String mode) throws Exception {
        try (Backend b = start("mode: " + mode + "\n"
                + "scheduler: {policy: ioband, depth: 32, io-throttle: 4}\n"
                + "disk: {service-time: 500us, parallelism: 4}\n"
                + "devices:\n  - {name: sda11, size: 1GiB, weight: 80}\n  - {name: sda12, size: 1GiB, weight: 20}\n")) {
            JsonNode jobs = fio("--ioengine=nbd", "--rw=randrw", "--bs=4k", "--iodepth=128", "--size=1G",
                    "--ramp_time=1", "--runtime=2", "--time_based", "--name=sda11", "--uri=" + uri(b, "sda11"),
                    "--name=sda12", "--uri=" + uri(b, "sda12")).path("jobs");
            double[] iops = new double[2];
            for (JsonNode j : jobs) {
                int i = j.path("jobname").asText().equals("sda11") ? 0 : 1;
                iops[i] = j.path("read").path("iops").asDouble() + j.path("write").path("iops").asDouble();
            }
            System.out.printf("fio seed, %s: sda11 %.0f IOPS, sda12 %.0f IOPS%n", mode, iops[0], iops[1]);
            assertThat(iops[0] + iops[1]).as("total IOPS").isPositive();
            return iops[0] / (iops[0] + iops[1]);
        }
    }
}
