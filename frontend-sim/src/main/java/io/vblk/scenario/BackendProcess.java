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

    private final Process process;
    private final String host;
    private final int port;
    private final Path log;

    private BackendProcess(Process process, String host, int port, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
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
        CompletableFuture<Matcher> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        drain(out);
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
            return new BackendProcess(p, m.group(1), Integer.parseInt(m.group(2)), log);
        } catch (TimeoutException | InterruptedException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            throw new IOException("backend did not start within 60 s; see " + log);
        }
    }

    private static void drain(BufferedReader out) {
        // the backend prints nothing more on stdout; keep its pipe from ever filling anyway
        Thread t = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the process ended
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
