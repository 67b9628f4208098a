package io.vblk.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of the backend's admin endpoint (docs/admin.md), for {@code vblk ctl} and the experiment runner's
 * scheduled changes: one request at a time, each with a deadline, the token (if any) as a bearer token.
 */
public final class AdminClient {
    /** An answer: the HTTP status and the JSON body ({@code {"error": ...}} unless 200). */
    public record Answer(int status, JsonNode body) {
        /** The refusal's words, or the body when it has none. */
        public String error() {
            return body.has("error") ? body.get("error").asText() : body.toString();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final String target;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code target} is HOST:PORT; {@code token} null for an endpoint without one. */
    public AdminClient(String target, String token) {
        this.target = target;
        this.token = token;
    }

    public String target() {
        return target;
    }

    /** GET /v1/state. */
    public Answer state() throws IOException {
        return send("GET", "/v1/state", null);
    }

    /** Changes {@code target} (a device, or {@code scheduler}) by the keys of {@code values}. */
    public Answer change(String device, JsonNode values) throws IOException {
        String path = device.equals("scheduler") ? "/v1/scheduler"
                : "/v1/devices/" + URLEncoder.encode(device, StandardCharsets.UTF_8);
        return send("POST", path, values);
    }

    private Answer send(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://" + target + path)).timeout(DEADLINE)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> a = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(a.statusCode(), JSON.readTree(a.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
