package io.vblk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vblk.backend.Backend;
import io.vblk.config.BackendConfig;
import io.vblk.config.ByteSize;
import io.vblk.config.ConfigLoader;
import io.vblk.config.LoadConfig;
import io.vblk.config.LoadSpec;
import io.vblk.config.Pattern;
import io.vblk.load.LoadRunner;
import io.vblk.result.LoadResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, which .ci/run installs) scrapes a backend's
 * {@code /metrics} on loopback every 250 ms, with the admin token from a credentials file, while the load
 * generator drives the backend for three seconds; then Prometheus' own HTTP API gives {@code rate()} of the
 * device's completed-requests counter over the load's window, which must agree with the IOPS the load measured
 * within 10 %. Skipped when Prometheus is not installed.
 */
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String TOKEN = "scrape-token";
    private static final Duration WARMUP = Duration.ofMillis(500);
    private static final Duration DURATION = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusRateOfADevicesCompletionsAgreesWithTheLoadsIops() throws Exception {
        assumeThat(Files.isExecutable(PROMETHEUS)).as(PROMETHEUS + " is not installed (Debian's prometheus package; "
                + ".ci/run installs it)").isTrue();
        Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
        // the disk bounds the rate (2 slots x 200 us: 10 000 IOPS at most), so it holds steady through the window
        BackendConfig cfg = ConfigLoader.parse("port: 0\nadmin: {port: 0, token-file: " + token + "}\n"
                + "disk: {service-time: 200us, parallelism: 2}\n"
                + "devices:\n  - {name: vm1, size: 64MiB, weight: 100}\n  - {name: vm2, size: 64MiB, weight: 300}\n",
                BackendConfig.class, "backend.yaml");
        assertThat(cfg.validate().list()).isEmpty();
        try (Backend backend = Backend.start(cfg)) {
            int promPort = freePort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                    "global:",
                    "  scrape_interval: 250ms",
                    "  scrape_timeout: 200ms",
                    "scrape_configs:",
                    "  - job_name: vblk",
                    "    authorization:",
                    "      credentials_file: " + token,
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + backend.adminAddress().getPort() + "']",
                    ""));
            Path log = dir.resolve("prometheus.log");
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                String api = "http://127.0.0.1:" + promPort;
                waitFor(() -> status(api + "/-/ready") == 200, 30_000, "Prometheus to be ready", log);
                waitFor(() -> value(query(api, "up{job=\"vblk\"}", null)) == 1.0, 10_000,
                        "Prometheus to scrape the backend (up == 1)", log);

                LoadConfig load = new LoadConfig("127.0.0.1:" + backend.address().getPort(), false, null, null,
                        List.of(spec("vm1"), spec("vm2")), null, null, null, null);
                // the backend's and this JVM's nanoTime are one clock: the window's ends in wall-clock time
                long wallMinusNano = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
                LoadResult r = new LoadRunner(load, LoadRunner.Options.of(WARMUP, DURATION)).run();
                assertThat(r.problems()).isEmpty();
                double startS = (r.backendStart().nanos() + wallMinusNano) / 1e9;
                double endS = (r.backendEnd().nanos() + wallMinusNano) / 1e9;
                long rangeMs = Math.round((endS - startS) * 1000);

                // a scrape after the window's end must be in, or the rate would miss its last part
                String last = "timestamp(vblk_device_completed_requests_total{device=\"vm1\",type=\"read\"})";
                waitFor(() -> value(query(api, last, null)) >= endS, 10_000, "a scrape after the load's end", log);
                for (String device : List.of("vm1", "vm2")) {
                    double iops = r.device(device).ios() / r.durationSeconds();
                    double rate = value(query(api, "sum(rate(vblk_device_completed_requests_total{device=\"" + device
                            + "\"}[" + rangeMs + "ms]))", endS));
                    System.out.printf("%s: load %.0f IOPS, Prometheus rate() %.0f/s over %d ms%n", device, iops, rate,
                            rangeMs);
                    assertThat(iops).as(device + " IOPS").isGreaterThan(100);
                    assertThat(rate).as(device + ": Prometheus' rate() against the load's IOPS")
                            .isBetween(0.9 * iops, 1.1 * iops);
                }
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static LoadSpec spec(String device) {
        return new LoadSpec(device, 8, Pattern.RANDRW, 50, ByteSize.of(4096), null);
    }

    // a port free now; Prometheus binds it a moment later (nothing else on loopback is expected to take it meanwhile)
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** An instant query at {@code time} (unix seconds; null: now): the result vector, empty if none. */
    private JsonNode query(String api, String promql, Double time) {
        String url = api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + String.format(java.util.Locale.ROOT, "%.3f", time));
        try {
            HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(a.body());
            assertThat(body.path("status").asText()).as(promql + ": " + a.body()).isEqualTo("success");
            return body.at("/data/result");
        } catch (IOException e) {
            return JSON.createArrayNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createArrayNode();
        }
    }

    // the one sample's value, NaN when there is none
    private static double value(JsonNode result) {
        return result.size() == 1 ? Double.parseDouble(result.get(0).at("/value/1").asText()) : Double.NaN;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long timeoutMs, String what, Path log)
            throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String tail = Files.exists(log) ? String.join("\n", tailOf(Files.readAllLines(log), 20)) : "(no log)";
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what
                        + "; Prometheus' log ends:\n" + tail);
            }
            Thread.sleep(50);
        }
    }

    private static List<String> tailOf(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
