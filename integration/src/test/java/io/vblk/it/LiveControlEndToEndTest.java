package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ConfigLoader;
import io.vblk.config.LoadConfig;
import io.vblk.load.LoadRunner;
import io.vblk.logs.Join;
import io.vblk.logs.JoinReport;
import io.vblk.result.BackendStats;
import io.vblk.result.LoadResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Weights changed with {@code vblk ctl} while a load runs: 80/20, then 50/50, then 20/80. The share of the
 * scheduler's decisions taken while both devices were backlogged (what the weights control) follows each split,
 * and both request logs agree that no request was lost, also across changes of policy, depth, idling and mode
 * made while requests waited. Windows are counted in decisions, not seconds, so a
 * loaded machine only makes the run slower. 48 processes a device keep both queues deep: with 16 the heavier
 * device's queue empties now and then, the lighter one's decisions meanwhile are not "all backlogged", and the
 * heavier one reads about 2 pp above its weight (measured 81-83 % for 80).
 */
class LiveControlEndToEndTest {
    /** Decisions skipped after a change: the replaced policies' backlog (at most 2 x 16 requests) drains in them. */
    private static final int SETTLE = 200;
    /** Decisions a share is measured over: 600 give a 3 pp tolerance several standard deviations of room. */
    private static final int WINDOW = 600;

    @TempDir
    Path dir;

    private static int ctl(String admin, String... args) {
        List<String> all = new ArrayList<>(List.of("ctl", "--target", admin));
        all.addAll(List.of(args));
        CommandLine cl = io.vblk.cli.VblkMain.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(all.toArray(String[]::new));
        assertThat(code).as("vblk ctl %s: %s", String.join(" ", args), err).isZero();
        return code;
    }

    /**
     * sda11's share of the next {@code n} decisions taken while both devices were backlogged, after {@code skip};
     * prints how long after {@code since} (the change) the window began and ended.
     */
    private static double share(Backend b, int skip, int n, long since) throws InterruptedException {
        backloggedDecisions(b, skip);
        BackendStats from = b.stats();
        long start = System.nanoTime();
        BackendStats to = backloggedDecisions(b, n);
        System.out.printf("window %.0f-%.0f ms after the change%n", (start - since) / 1e6, (System.nanoTime() - since) / 1e6);
        long a = to.device("sda11").dispatchedAllBacklogged() - from.device("sda11").dispatchedAllBacklogged();
        long c = to.device("sda12").dispatchedAllBacklogged() - from.device("sda12").dispatchedAllBacklogged();
        return (double) a / (a + c);
    }

    // waits until n more decisions were taken with both backlogged; the load lasts long enough on a busy machine
    private static BackendStats backloggedDecisions(Backend b, int n) throws InterruptedException {
        BackendStats from = b.stats();
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (BackendStats s = b.stats(); ; s = b.stats()) {
            long done = s.devices().stream().mapToLong(d -> d.dispatchedAllBacklogged()).sum()
                    - from.devices().stream().mapToLong(d -> d.dispatchedAllBacklogged()).sum();
            if (done >= n) {
                return s;
            }
            assertThat(System.nanoTime()).as("waiting for %d backlogged decisions (%d so far)", n, done).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    @Test
    void weightsChangedUnderLoadMoveTheBackloggedShareAndNothingIsLost() throws Exception {
        Path backendLog = dir.resolve("backend.jsonl");
        Path guestLog = dir.resolve("guest.jsonl");
        BackendConfig cfg = ConfigLoader.parse("port: 0\nadmin: {port: 0}\nmode: aio\nscheduler: {policy: sfq, depth: 4}\n"
                + "disk: {service-time: 100us, parallelism: 4}\nlog: {requests: " + backendLog + "}\n"
                + "devices:\n  - {name: sda11, size: 64MiB, weight: 80}\n  - {name: sda12, size: 64MiB, weight: 20}\n",
                BackendConfig.class, "test");
        LoadResult result;
        List<Double> shares = new ArrayList<>();
        try (Backend b = Backend.start(cfg)) {
            String admin = "127.0.0.1:" + b.adminAddress().getPort();
            LoadConfig load = ConfigLoader.parse("target: 127.0.0.1:" + b.address().getPort() + "\nload:\n"
                    + "  - {device: sda11, processes: 48, pattern: randread}\n"
                    + "  - {device: sda12, processes: 48, pattern: randread}\n", LoadConfig.class, "test");
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LoadRunner(load, LoadRunner.Options.of(Duration.ofMillis(200), Duration.ofSeconds(8))
                            .withRequestLog(guestLog, false)).run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            shares.add(share(b, SETTLE, WINDOW, System.nanoTime()));
            ctl(admin, "set", "sda11", "weight=50");
            ctl(admin, "set", "sda12", "weight=50");
            // the change is applied before ctl's answer: the window is timed from then
            shares.add(share(b, SETTLE, WINDOW, System.nanoTime()));
            ctl(admin, "set", "sda11", "weight=20");
            ctl(admin, "set", "sda12", "weight=80");
            shares.add(share(b, SETTLE, WINDOW, System.nanoTime()));
            // then the rules themselves, each while requests wait under the old ones: nothing may be lost
            ctl(admin, "set", "scheduler", "policy=ioband", "depth=8");
            backloggedDecisions(b, SETTLE);
            ctl(admin, "set", "sda12", "mode=sync");
            backloggedDecisions(b, 50);
            ctl(admin, "set", "scheduler", "policy=fifo", "idle=1ms");
            backloggedDecisions(b, 50);
            ctl(admin, "set", "sda12", "mode=aio");
            ctl(admin, "set", "scheduler", "policy=sfq", "idle=0s");
            result = run.get();
            assertThat(b.stats().policy()).isEqualTo("sfq");
        }
        System.out.printf("sda11's backlogged share: %s%n", shares);
        assertThat(shares.get(0)).as("80/20").isCloseTo(0.80, offset(0.03));
        assertThat(shares.get(1)).as("50/50").isCloseTo(0.50, offset(0.03));
        assertThat(shares.get(2)).as("20/80").isCloseTo(0.20, offset(0.03));

        assertThat(result.problems()).isEmpty();
        assertThat(result.lost()).isZero();
        JoinReport join = Join.run(backendLog, null, guestLog, null, w -> {});
        assertThat(join.total().joined()).isPositive();
        assertThat(join.total().backendOnly()).as("answered by the backend, never seen by the guest").isZero();
        assertThat(join.total().frontendOnly()).as("sent by the guest, never logged by the backend").isZero();
        assertThat(join.total().conflicts()).isZero();
    }

    /** What {@code vblk ctl} printed and returned. */
    private record Ran(int code, String out, String err) {}

    private static Ran run(String... args) {
        CommandLine cl = io.vblk.cli.VblkMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Ran(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void ctlShowsTheStateAndSaysWhyAChangeWasRefused() throws Exception {
        Path token = java.nio.file.Files.writeString(dir.resolve("admin.token"), "t0ken\n");
        BackendConfig cfg = ConfigLoader.parse("port: 0\nadmin: {port: 0, token-file: " + token + "}\n"
                + "devices:\n  - {name: sda11, size: 16MiB, weight: 80}\n  - {name: sda12, size: 16MiB, weight: 20, mode: sync}\n",
                BackendConfig.class, "test");
        try (Backend b = Backend.start(cfg)) {
            String admin = "127.0.0.1:" + b.adminAddress().getPort();
            Ran show = run("ctl", "--target", admin, "--token-file", token.toString(), "show");
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out()).contains("scheduler: policy fifo, depth 64, idle 0s");
            assertThat(show.out().lines().filter(l -> l.startsWith("sda12")).findFirst().orElseThrow())
                    .matches("sda12 +\\| +20 \\| +- \\| +- \\| sync +\\| +256 \\| +0 \\| +0");
            Ran json = run("ctl", "--target", admin, "--token-file", token.toString(), "show", "--output-format", "json");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).at("/devices/0/weight").asInt())
                    .isEqualTo(80);

            Ran set = run("ctl", "--target", admin, "--token-file", token.toString(), "set", "sda12", "mode=aio", "weight=40");
            assertThat(set.code()).as(set.err()).isZero();
            assertThat(set.out()).isEqualTo("sda12 weight: 20 -> 40\nsda12 mode: sync -> aio\n");
            assertThat(b.stats().device("sda12").mode()).isEqualTo("aio");

            Ran bad = run("ctl", "--target", admin, "--token-file", token.toString(), "set", "sda12", "weight=0");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).isEqualTo("vblk ctl: 400: devices[1].weight: must be a whole number from 1 to 1000000, got 0\n");
            Ran noToken = run("ctl", "--target", admin, "show");
            assertThat(noToken.code()).isEqualTo(2);
            assertThat(noToken.err()).startsWith("vblk ctl: 401: authentication failed");
            Ran notKeyValue = run("ctl", "--target", admin, "--token-file", token.toString(), "set", "sda12", "weight");
            assertThat(notKeyValue.code()).isEqualTo(2);
            assertThat(notKeyValue.err()).contains("'weight' is not KEY=VALUE");
        }
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            Ran gone = run("ctl", "--target", "127.0.0.1:" + port, "show");
            assertThat(gone.code()).isEqualTo(1);
            assertThat(gone.err()).startsWith("vblk ctl: cannot reach the admin endpoint at 127.0.0.1:" + port);
        }
    }
}
