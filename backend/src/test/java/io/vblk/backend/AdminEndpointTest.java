package io.vblk.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.vblk.protocol.BlkRequest;
import io.vblk.protocol.Completion;
import io.vblk.requestlog.ControlRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint over real HTTP on loopback: the token, the state, changes applied and logged, and each
 * refusal with its status and the config loader's wording.
 */
class AdminEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-admin-token";

    @TempDir
    Path dir;
    private Backend backend;
    private Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private record Answer(int status, JsonNode body) {}

    @BeforeEach
    void start() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
        log = dir.resolve("requests.jsonl");
        backend = Backends.start("admin: {port: 0, token-file: " + token + "}\nscheduler: {policy: sfq}\n"
                + "disk: {service-time: 100us, parallelism: 4}\nlog: {requests: " + log + "}\n"
                + "devices:\n  - {name: sda11, size: 16MiB, weight: 80}\n  - {name: sda12, size: 16MiB, weight: 20}\n");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private Answer call(String method, String path, String body, String token) throws Exception {
        // a deadline: an endpoint that stopped answering fails the test instead of hanging it
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.adminAddress().getPort() + path))
                .timeout(java.time.Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> a = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(a.statusCode(), JSON.readTree(a.body()));
    }

    private Answer call(String method, String path, String body) throws Exception {
        return call(method, path, body, TOKEN);
    }

    @Test
    void itListensOnLoopbackAndAsksEveryRequestForTheToken() throws Exception {
        assertThat(backend.adminAddress().getAddress().isLoopbackAddress()).isTrue();
        for (String token : new String[] {null, "wrong", TOKEN + "x"}) {
            Answer a = call("GET", "/v1/state", null, token);
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.body().get("error").asText()).doesNotContain(TOKEN);
        }
        assertThat(call("POST", "/v1/devices/sda11", "{\"weight\": 60}", null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/state", null).body().at("/devices/0/weight").asInt()).as("not changed").isEqualTo(80);
    }

    @Test
    void theStateHasEveryDeviceAndTheScheduler() throws Exception {
        Answer a = call("GET", "/v1/state", null);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().at("/scheduler/policy").asText()).isEqualTo("sfq");
        assertThat(a.body().at("/scheduler/depth").asText()).isEqualTo("64");
        assertThat(a.body().get("devices")).extracting(d -> d.get("name").asText()).containsExactly("sda11", "sda12");
        assertThat(a.body().at("/devices/1/weight").asInt()).isEqualTo(20);
        assertThat(a.body().at("/devices/1/mode").asText()).isEqualTo("aio");
        assertThat(a.body().at("/devices/1/max-in-service").asInt()).isEqualTo(256);
    }

    @Test
    void aChangeIsAppliedReportedAndLoggedOncePerKey() throws Exception {
        Answer a = call("POST", "/v1/devices/sda12", "{\"weight\": 60, \"mode\": \"sync\"}");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("applied")).extracting(r -> r.get("control").asText() + " " + r.get("from").asText()
                + " -> " + r.get("to").asText()).containsExactly("weight 20 -> 60", "mode aio -> sync");
        assertThat(a.body().at("/state/devices/1/weight").asInt()).isEqualTo(60);
        assertThat(backend.stats().devices().get(1).weight()).isEqualTo(60);
        assertThat(backend.stats().devices().get(1).mode()).isEqualTo("sync");
        Answer again = call("POST", "/v1/devices/sda12", "{\"weight\": 60}");
        assertThat(again.body().get("applied")).as("nothing changed the second time").isEmpty();
        Answer sched = call("POST", "/v1/scheduler", "{\"policy\": \"ioband\", \"depth\": 8, \"idle\": \"2ms\"}");
        assertThat(sched.status()).isEqualTo(200);
        assertThat(sched.body().at("/state/scheduler/idle").asText()).isEqualTo("2ms");
        assertThat(backend.stats().policy()).isEqualTo("ioband");

        backend.close();
        List<ControlRecord> logged = Files.readAllLines(log).stream().filter(l -> l.startsWith(ControlRecord.PREFIX))
                .map(l -> {
                    try {
                        return JSON.readValue(l, ControlRecord.class);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                }).toList();
        assertThat(logged).extracting(r -> r.target() + " " + r.key() + " " + r.from() + " -> " + r.to()).containsExactly(
                "sda12 weight 20 -> 60", "sda12 mode aio -> sync", "scheduler policy sfq -> ioband",
                "scheduler depth 64 -> 8", "scheduler idle 0s -> 2ms");
    }

    @Test
    void badValuesUnknownDevicesAndBrokenInvariantsAreRefusedWithTheReason() throws Exception {
        Answer weight = call("POST", "/v1/devices/sda11", "{\"weight\": 0}");
        assertThat(weight.status()).isEqualTo(400);
        assertThat(weight.body().get("error").asText())
                .isEqualTo("devices[0].weight: must be a whole number from 1 to 1000000, got 0");
        Answer key = call("POST", "/v1/devices/sda11", "{\"wieght\": 60}");
        assertThat(key.status()).isEqualTo(400);
        assertThat(key.body().get("error").asText()).startsWith("devices[0].wieght: unknown key; allowed here: limit, "
                + "max-in-service, mode, reservation, weight");
        Answer mode = call("POST", "/v1/devices/sda11", "{\"mode\": \"turbo\"}");
        assertThat(mode.status()).isEqualTo(400);
        assertThat(mode.body().get("error").asText()).startsWith("devices[0].mode: ");
        Answer reservation = call("POST", "/v1/devices/sda11", "{\"reservation\": 100}");
        assertThat(reservation.body().get("error").asText())
                .isEqualTo("devices[0].reservation: applies to policy mclock only, got policy sfq");
        Answer depth = call("POST", "/v1/scheduler", "{\"depth\": 0}");
        assertThat(depth.status()).isEqualTo(400);
        assertThat(depth.body().get("error").asText()).contains("scheduler.depth: must be from 1 to 65536 or auto");
        Answer auto = call("POST", "/v1/scheduler", "{\"depth\": \"auto\"}");
        assertThat(auto.status()).isEqualTo(400);
        assertThat(auto.body().get("error").asText()).isEqualTo("scheduler.depth: auto needs a latency-target on at least one device");
        // 4 slots of 100 us: 40 000 IOPS at most
        assertThat(call("POST", "/v1/scheduler", "{\"policy\": \"mclock\"}").status()).isEqualTo(200);
        Answer over = call("POST", "/v1/devices/sda11", "{\"reservation\": 30000}");
        assertThat(over.status()).isEqualTo(200);
        Answer sum = call("POST", "/v1/devices/sda12", "{\"reservation\": 20000}");
        assertThat(sum.status()).isEqualTo(409);
        assertThat(sum.body().get("error").asText()).contains("sum to 50000 IOPS, over the disk's capacity of 40000 IOPS");
        assertThat(call("POST", "/v1/devices/sdz", "{\"weight\": 5}").status()).isEqualTo(404);
        assertThat(call("POST", "/v1/devices/sda11", "[1, 2]").status()).isEqualTo(400);
        assertThat(call("POST", "/v1/devices/sda11", "{nope").status()).isEqualTo(400);
        assertThat(call("POST", "/v1/devices/sda11", "{}").body().get("error").asText()).contains("no change given");
        assertThat(call("PUT", "/v1/state", null).status()).isEqualTo(405);
        assertThat(call("GET", "/v2/anything", null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/state", null).body().at("/devices/0/weight").asInt()).as("nothing refused applied")
                .isEqualTo(80);
    }

    @Test
    void aModeChangeUnderLoadLosesNothingAndTheNewModeHoldsOneInService() throws Exception {
        try (TestClient c = TestClient.attach(backend, "sda12")) {
            for (int round = 0; round < 6; round++) {
                if (round == 3) {
                    assertThat(call("POST", "/v1/devices/sda12", "{\"mode\": \"sync\"}").status()).isEqualTo(200);
                }
                for (int i = 0; i < 32; i++) {
                    c.send(i % 2 == 0 ? BlkRequest.read(0, i, i * 8L, 4096)
                            : BlkRequest.write(0, i, i * 8L, Unpooled.wrappedBuffer(new byte[4096])));
                }
                for (int i = 0; i < 32; i++) {
                    Completion done = (Completion) c.next();
                    assertThat(done.status()).isZero();
                    done.release();
                }
            }
        }
        backend.close();
        List<JsonNode> records = Files.readAllLines(log).stream().filter(l -> l.startsWith("{\"device\""))
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                }).toList();
        assertThat(records).as("every request answered once and logged").hasSize(6 * 32);
        assertThat(records.stream().filter(r -> r.get("mode").asText().equals("sync"))
                .mapToInt(r -> r.get("in_service_device").asInt()).max().orElseThrow()).isEqualTo(1);
        assertThat(records.stream().filter(r -> r.get("mode").asText().equals("aio"))
                .mapToInt(r -> r.get("in_service_device").asInt()).max().orElseThrow()).isGreaterThan(1);
    }

    @Test
    void clientsThatStopMidRequestHoldOnlyTheirOwnConnections() throws Exception {
        int port = backend.adminAddress().getPort();
        List<java.net.Socket> stuck = new java.util.ArrayList<>();
        try {
            // more stalled bodies than the endpoint has threads: each holds a thread until the body deadline at
            // most, so the endpoint answers within it however many stall
            for (int i = 0; i < 20; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.getOutputStream().write(("POST /v1/devices/sda11 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nContent-Length: 100\r\n\r\n{").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stuck.add(s);
            }
            Answer a = call("GET", "/v1/state", null);
            assertThat(a.status()).isEqualTo(200);
            // the stalled ones were closed at the deadline, unanswered
            for (java.net.Socket s : stuck) {
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        } finally {
            for (java.net.Socket s : stuck) {
                s.close();
            }
        }
    }
}
