package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.protocol.VirtioBlk;
import io.vblk.result.BackendStats;
import io.vblk.result.DeviceStats;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on the admin endpoint over real HTTP: the Prometheus text format, its names and labels,
 * and values that agree with {@link Backend#stats()} after a known load; and {@code promtool check metrics}
 * (Debian's {@code prometheus} package) on a scrape.
 */
class MetricsEndpointTest {
    private static final String TOKEN = "metrics-token";
    private static final int READS = 40;
    private static final int WRITES = 24;

    @TempDir
    Path dir;
    private Backend backend;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
        backend = Backends.start("admin: {port: 0, token-file: " + token + "}\nscheduler: {policy: sfq}\n"
                + "nbd: {port: 0}\n"
                + "devices:\n  - {name: sda11, size: 16MiB, weight: 80}\n  - {name: sda12, size: 16MiB, weight: 20}\n");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return get(path, token, null);
    }

    private HttpResponse<String> get(String path, String token, String accept) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.adminAddress().getPort()
                + path)).timeout(java.time.Duration.ofSeconds(10));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            r.header("Accept", accept);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A sample: a metric name and its labels, sorted, as one key; its value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            String value = line.substring(space + 1);
            out.put(key(series), value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value));
        }
        return out;
    }

    // name{a="x",b="y"} with the labels sorted, whatever order the writer chose
    private static String key(String series) {
        int brace = series.indexOf('{');
        if (brace < 0) {
            return series;
        }
        TreeMap<String, String> labels = new TreeMap<>();
        for (String pair : series.substring(brace + 1, series.length() - 1).split(",")) {
            int eq = pair.indexOf('=');
            labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=" + v));
        return series.substring(0, brace) + "{" + String.join(",", parts) + "}";
    }

    private static double at(Map<String, Double> s, String key) {
        Double v = s.get(key(key));
        assertThat(v).as("sample " + key).isNotNull();
        return v;
    }

    // a known load on sda11: reads, writes, a flush, and one read past the end, which fails its check
    private void load() throws Exception {
        try (TestClient c = TestClient.attach(backend, "sda11")) {
            for (int i = 0; i < READS + WRITES; i++) {
                BlkRequest r = i < WRITES ? BlkRequest.write(0, i % 16, i * 8L, Unpooled.wrappedBuffer(new byte[4096]))
                        : BlkRequest.read(0, i % 16, i * 8L, 4096);
                Completion done = c.call(r);
                assertThat(done.status()).isZero();
                done.release();
            }
            Completion flush = c.call(BlkRequest.of(0, 0, VirtioBlk.T_FLUSH, 0, 0));
            assertThat(flush.status()).isZero();
            flush.release();
            Completion past = c.call(BlkRequest.read(0, 0, 16L << 20 >> 9, 4096));
            assertThat(past.status()).isEqualTo(VirtioBlk.S_IOERR);
            past.release();
        }
    }

    // an HTTP client on the vblk port: the virtio door refuses it as a wrong door
    private void wrongDoor() throws Exception {
        try (Socket s = new Socket("127.0.0.1", backend.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // until the backend closes
            }
        }
    }

    @Test
    void theTextFormatAgreesWithTheBackendsStats() throws Exception {
        load();
        wrongDoor();
        // the connections' closes reach the counters on the event loops: wait for them, not for a while
        Wait.until(() -> backend.openConnections() == 0, 5000, "both connections to close");

        HttpResponse<String> page = get("/metrics", TOKEN);
        BackendStats stats = backend.stats();

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Map<String, Double> s = samples(page.body());
        DeviceStats sda11 = stats.device("sda11");
        assertThat(at(s, "vblk_device_received_requests_total{device=\"sda11\"}")).isEqualTo(sda11.received())
                .isEqualTo(READS + WRITES + 2);
        double read = at(s, "vblk_device_completed_requests_total{device=\"sda11\",type=\"read\"}");
        double write = at(s, "vblk_device_completed_requests_total{device=\"sda11\",type=\"write\"}");
        double other = at(s, "vblk_device_completed_requests_total{device=\"sda11\",type=\"other\"}");
        assertThat(read).isEqualTo(READS + 1);
        assertThat(write).isEqualTo(WRITES);
        assertThat(other).as("the flush").isEqualTo(1);
        assertThat(read + write + other).isEqualTo(sda11.completed());
        assertThat(at(s, "vblk_device_bytes_total{device=\"sda11\",type=\"read\"}")).as("the failed read moved nothing")
                .isEqualTo(READS * 4096.0);
        assertThat(at(s, "vblk_device_bytes_total{device=\"sda11\",type=\"write\"}")).isEqualTo(WRITES * 4096.0);
        assertThat(at(s, "vblk_device_bytes_total{device=\"sda11\",type=\"read\"}")
                + at(s, "vblk_device_bytes_total{device=\"sda11\",type=\"write\"}")
                + at(s, "vblk_device_bytes_total{device=\"sda11\",type=\"other\"}")).isEqualTo(sda11.bytes());
        assertThat(at(s, "vblk_device_errors_total{device=\"sda11\"}")).isEqualTo(sda11.errors()).isEqualTo(1);
        assertThat(at(s, "vblk_device_completed_requests_total{device=\"sda12\",type=\"read\"}")).isZero();
        assertThat(at(s, "vblk_device_dispatches_total{device=\"sda11\"}")).isEqualTo(sda11.dispatched())
                .as("all but the read that failed its check").isEqualTo(READS + WRITES + 1);
        assertThat(at(s, "vblk_scheduler_dispatches_total")).isEqualTo(READS + WRITES + 1);
        assertThat(at(s, "vblk_device_backlogged_seconds_total{device=\"sda11\"}")).as("nothing waits now: it stands")
                .isEqualTo(sda11.backloggedNanos() / 1e9);
        assertThat(at(s, "vblk_device_idle_seconds_total{device=\"sda11\"}")).isZero();
        assertThat(at(s, "vblk_device_idle_periods_total{device=\"sda11\",end=\"timeout\"}")).isZero();
        assertThat(at(s, "vblk_device_peak_in_service_requests{device=\"sda11\"}")).isEqualTo(sda11.peakInService())
                .isEqualTo(1);
        for (String gauge : List.of("held", "queued", "admitted", "dispatched", "in_service")) {
            assertThat(at(s, "vblk_device_" + gauge + "_requests{device=\"sda11\"}")).as(gauge + " once idle").isZero();
        }
        assertThat(at(s, "vblk_device_max_in_service_requests{device=\"sda11\"}")).isEqualTo(256);
        assertThat(at(s, "vblk_device_weight{device=\"sda12\"}")).isEqualTo(20);

        // the histograms: one observation per request that went through the scheduler, buckets cumulative
        for (String h : List.of("q2d", "d2c")) {
            String name = "vblk_device_" + h + "_seconds";
            assertThat(at(s, name + "_count{device=\"sda11\"}")).isEqualTo(READS + WRITES + 1);
            assertThat(at(s, name + "_bucket{device=\"sda11\",le=\"+Inf\"}")).isEqualTo(READS + WRITES + 1);
            assertThat(at(s, name + "_sum{device=\"sda11\"}")).isPositive().isLessThan(10.0 * (READS + WRITES + 1));
            List<Double> buckets = s.entrySet().stream().filter(e -> e.getKey().startsWith(name + "_bucket{device=\"sda11\""))
                    .sorted(java.util.Comparator.comparingDouble(MetricsEndpointTest::le))
                    .map(Map.Entry::getValue).toList();
            assertThat(buckets).hasSize(25).isSorted();
            assertThat(at(s, name + "_count{device=\"sda12\"}")).isZero();
        }

        assertThat(at(s, "vblk_scheduler_info{policy=\"sfq\"}")).isEqualTo(1);
        assertThat(at(s, "vblk_scheduler_depth")).isEqualTo(64);
        assertThat(at(s, "vblk_scheduler_dispatched_requests")).isZero();
        assertThat(at(s, "vblk_scheduler_holds_total")).as("sfq never holds back").isZero();
        assertThat(at(s, "vblk_door_connections_total{door=\"virtio-over-tcp\"}")).isEqualTo(2);
        assertThat(at(s, "vblk_door_open_connections{door=\"virtio-over-tcp\"}")).isZero();
        assertThat(at(s, "vblk_door_refusals_total{door=\"virtio-over-tcp\",reason=\"wrong_door\"}")).isEqualTo(1);
        assertThat(at(s, "vblk_door_refusals_total{door=\"virtio-over-tcp\",reason=\"limit\"}")).isZero();
        assertThat(at(s, "vblk_door_connections_total{door=\"nbd\"}")).isZero();
        assertThat(at(s, "vblk_door_refusals_total{door=\"nbd\",reason=\"handshake\"}")).isZero();
        assertThat(s.keySet()).as("no vhost-user door configured").noneMatch(k -> k.contains("vhost-user"));
        assertThat(s.keySet()).as("no latency-driven depth").noneMatch(k -> k.startsWith("vblk_device_depth"));
        assertThat(s.keySet()).as("no emulated disk").noneMatch(k -> k.startsWith("vblk_disk_"));
    }

    private static double le(Map.Entry<String, Double> e) {
        String k = e.getKey();
        String v = k.substring(k.indexOf("le=\"") + 4, k.indexOf('"', k.indexOf("le=\"") + 4));
        return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
    }

    @Test
    void metricsAskForTheTokenAndFollowLiveChanges() throws Exception {
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "wrong").body()).doesNotContain("vblk_");

        HttpRequest change = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.adminAddress().getPort()
                        + "/v1/devices/sda12")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"weight\": 60, \"mode\": \"sync\"}")).build();
        assertThat(http.send(change, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpRequest policy = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.adminAddress().getPort()
                        + "/v1/scheduler")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"policy\": \"ioband\", \"depth\": 8}")).build();
        assertThat(http.send(policy, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        Map<String, Double> s = samples(get("/metrics", TOKEN).body());
        assertThat(at(s, "vblk_device_weight{device=\"sda12\"}")).isEqualTo(60);
        assertThat(at(s, "vblk_device_max_in_service_requests{device=\"sda12\"}")).as("sync: one").isEqualTo(1);
        assertThat(at(s, "vblk_scheduler_info{policy=\"ioband\"}")).isEqualTo(1);
        assertThat(s).doesNotContainKey("vblk_scheduler_info{policy=\"sfq\"}");
        assertThat(at(s, "vblk_scheduler_depth")).isEqualTo(8);
    }

    @Test
    void aScraperThatAsksForOpenMetricsGetsItWithTheSameCounts() throws Exception {
        load();
        Wait.until(() -> backend.openConnections() == 0, 5000, "the connection to close");
        // what Prometheus 2.x sends
        String prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        HttpResponse<String> open = get("/metrics", TOKEN, prometheus);
        HttpResponse<String> text = get("/metrics", TOKEN, "text/plain;version=0.0.4");

        assertThat(open.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(open.body()).endsWith("# EOF\n").contains("# TYPE vblk_device_completed_requests counter");
        assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(text.body()).doesNotContain("# EOF");
        Map<String, Double> o = samples(open.body());
        Map<String, Double> t = samples(text.body());
        for (String key : List.of("vblk_device_completed_requests_total{device=\"sda11\",type=\"read\"}",
                "vblk_device_completed_requests_total{device=\"sda11\",type=\"write\"}",
                "vblk_device_received_requests_total{device=\"sda11\"}",
                "vblk_device_q2d_seconds_count{device=\"sda11\"}")) {
            assertThat(at(o, key)).as(key).isEqualTo(at(t, key)).isPositive();
        }
    }

    @Test
    void promtoolFindsNothingToSayAboutAScrape() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeThat(Files.isExecutable(promtool)).as("promtool is not installed (Debian's prometheus package; "
                + ".ci/run installs it)").isTrue();
        load();
        wrongDoor();
        String text = get("/metrics", TOKEN).body();

        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();

        assertThat(said).as("promtool's complaints").isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
