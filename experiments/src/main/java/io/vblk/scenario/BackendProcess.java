package io.vblk.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;

/**
 * A backend in its own JVM, as a real deployment has it: started from the backend jar with a config file,
 * ready once it prints {@code vblk backend listening on HOST:PORT}; stopped with SIGTERM (it drains and
 * exits 0), killed only if it does not stop in time. Its stderr goes to a log file kept for diagnosis.
 */
public final class BackendProcess implements AutoCloseable {
    private static final java.util.regex.Pattern READY =
            java.util.regex.Pattern.compile("vblk backend listening on (\\S+):(\\d+)");
    private static final java.util.regex.Pattern NBD_READY =
            java.util.regex.Pattern.compile("vblk nbd listening on (\\S+):(\\d+)");
    private static final java.util.regex.Pattern ADMIN_READY =
            java.util.regex.Pattern.compile("vblk admin listening on (\\S+):(\\d+)");

    private final Process process;
    private final String host;
    private final int port;
    // the admin endpoint's HOST:PORT, printed before the ready line; null without one
    private final String admin;
    private final Path log;
    // the NBD door's port, once its line is printed; the backend prints it right after the first line
    private final CompletableFuture<Integer> nbdPort;
    // the stats connection, opened by the first stats() and closed with the process
    private io.netty.channel.EventLoopGroup statsGroup;
    private io.vblk.load.StatsClient statsClient;

    private BackendProcess(Process process, String host, int port, Path log, CompletableFuture<Integer> nbdPort,
                           String admin) {
        this.admin = admin;
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
        this.nbdPort = nbdPort;
    }

    /** The backend jar: -Dvblk.backend.jar, else $VBLK_BACKEND_JAR, else next to this jar in the source tree. */
    public static Path backendJar() {
        String p = System.getProperty("vblk.backend.jar", System.getenv("VBLK_BACKEND_JAR"));
        if (p != null) {
            return Path.of(p);
        }
        try {
            Path self = Path.of(BackendProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.getParent().getParent().getParent().resolve("backend/target/vblk-backend.jar");
        } catch (Exception e) {
            return Path.of("backend/target/vblk-backend.jar");
        }
    }

    /** @param requestLog the backend's request log, or null for none */
    public static BackendProcess start(String configYaml, Path workDir, String name, Path requestLog) throws IOException {
        Path jar = backendJar();
        if (!Files.isRegularFile(jar)) {
            throw new IOException("backend jar not found at " + jar + " (build it with ./vblk or mvn package)");
        }
        Files.createDirectories(workDir);
        Path config = workDir.resolve(name + ".backend.yaml");
        Path log = workDir.resolve(name + ".backend.log");
        Files.writeString(config, configYaml);
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseParallelGC", "-jar", jar.toString(),
                "--config", config.toString()));
        if (requestLog != null) {
            cmd.addAll(List.of("--request-log", requestLog.toAbsolutePath().toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        CompletableFuture<Integer> nbdPort = new CompletableFuture<>();
        String[] admin = {null};
        CompletableFuture<Matcher> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher a = ADMIN_READY.matcher(line);
                    if (a.find()) {
                        admin[0] = a.group(1) + ":" + a.group(2);
                    }
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        drain(out, nbdPort);
                        return m;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            Matcher m = ready.get(60, TimeUnit.SECONDS);
            if (m == null) {
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("backend exited before listening:\n" + Files.readString(log).strip());
            }
            return new BackendProcess(p, m.group(1), Integer.parseInt(m.group(2)), log, nbdPort, admin[0]);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            throw new IOException("backend did not start within 60 s; see " + log);
        }
    }

    private static void drain(BufferedReader out, CompletableFuture<Integer> nbdPort) {
        // after the NBD line (if any) the backend prints nothing more until it stops; keep its pipe from filling
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = NBD_READY.matcher(line);
                    if (m.find()) {
                        nbdPort.complete(Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                nbdPort.completeExceptionally(new IOException("the backend opened no NBD door"));
            }
        }, "backend-stdout");
        t.setDaemon(true);
        t.start();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String target() {
        return host + ":" + port;
    }

    /** The admin endpoint's HOST:PORT, or null when the config turned it off. */
    public String admin() {
        return admin;
    }

    /** The NBD door's port; waits up to 10 s for the backend to print it. */
    public int nbdPort() throws IOException {
        try {
            return nbdPort.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException("no NBD door announced by the backend: " + e.getMessage());
        }
    }

    /**
     * The backend's counters now, through its stats query (no token: auth off), on one connection kept for
     * the next query; by one thread at a time.
     */
    public io.vblk.result.BackendStats stats() throws IOException {
        try {
            if (statsClient == null) {
                statsGroup = io.vblk.load.ClientBootstrap.group(1, java.time.Duration.ZERO);
                statsClient = io.vblk.load.StatsClient.connect(io.vblk.load.ClientBootstrap.of(statsGroup),
                        new java.net.InetSocketAddress(host, port), io.vblk.load.Access.OPEN).get(10, TimeUnit.SECONDS);
            }
            return statsClient.query().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException("stats query to " + target() + " failed: " + e.getMessage());
        }
    }

    public Path log() {
        return log;
    }

    /** The backend's process, e.g. to read its CPU time. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGTERM, wait for the drain; returns the exit code (0 for a clean stop). */
    @Override
    public void close() {
        if (statsClient != null) {
            statsClient.close();
            statsGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as a crash would end it: no drain, no flush; returns once the process is gone. */
    public void kill() throws InterruptedException {
        if (!process.destroyForcibly().waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("backend still alive 20 s after SIGKILL");
        }
    }

    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }
}
