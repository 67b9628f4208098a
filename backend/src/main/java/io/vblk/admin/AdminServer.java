package io.vblk.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vblk.config.ConfigLoader;
import io.vblk.config.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The backend's admin endpoint: HTTP with JSON on threads of its own, never an event loop's.
 * <pre>
 * GET  /v1/state               every device's settings and counters, and the scheduler's
 * POST /v1/devices/NAME        {"weight": 60, "mode": "sync", ...}   change a device
 * POST /v1/scheduler           {"policy": "sfq", "depth": 16, "idle": "2ms"}   change the scheduler
 * GET  /metrics                Prometheus text or OpenMetrics, by Accept, when a metrics route is registered
 * </pre>
 * With a token, every request must carry {@code Authorization: Bearer TOKEN} (compared in constant time, never
 * logged or echoed); otherwise 401. Errors are {@code {"error": "..."}} with the status {@link ControlException}
 * names; a body is at most {@link #MAX_BODY} bytes.
 */
public final class AdminServer implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    static final int THREADS = 16;
    /** How long a request's body may take to arrive: a client that stalls past it loses its connection. */
    static final java.time.Duration BODY_DEADLINE = java.time.Duration.ofSeconds(2);

    static {
        // the JDK server's own bounds on one request and one response, in seconds (unbounded by default):
        // a client that stops mid-request is closed after this long; set before the server class first loads
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "10");
        }
    }

    /** An extra GET route (such as {@code /metrics}): its body and content type, for the request's Accept header. */
    public interface Route {
        /** @param accept the request's Accept header, or null without one */
        Page get(String accept) throws IOException;
    }

    /** What a route answers. */
    public record Page(String contentType, byte[] body) {}

    private static final ObjectMapper JSON = ConfigLoader.json();

    private final HttpServer server;
    private final ExecutorService thread;
    // closes an exchange whose body is late
    private final java.util.concurrent.ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vblk-admin-deadline");
        t.setDaemon(true);
        return t;
    });
    private final String token;
    private final Control control;
    private final Map<String, Route> routes;

    private AdminServer(HttpServer server, String token, Control control, Map<String, Route> routes) {
        this.server = server;
        this.token = token;
        this.control = control;
        this.routes = new LinkedHashMap<>(routes);
        // several threads, each body read against a deadline: a client that trickles its body holds one thread
        // for BODY_DEADLINE at most, not the endpoint (changes still apply one at a time, in the control's order)
        this.thread = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "vblk-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Listens on {@code host:port} (0: ephemeral); {@code token} null means no authentication. */
    public static AdminServer start(String host, int port, String token, Control control, Map<String, Route> routes)
            throws IOException {
        return new AdminServer(HttpServer.create(new InetSocketAddress(host, port), 64), token, control, routes);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (token != null && !authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vblk\"");
                error(ex, 401, "authentication failed: send Authorization: Bearer TOKEN, the first line of admin.token-file");
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Route route = routes.get(path);
            if (route != null) {
                if (!method.equals("GET")) {
                    error(ex, 405, path + " takes GET, not " + method);
                    return;
                }
                Page page = route.get(ex.getRequestHeaders().getFirst("Accept"));
                send(ex, 200, page.contentType(), page.body());
            } else if (path.equals("/v1/state")) {
                if (!method.equals("GET")) {
                    error(ex, 405, path + " takes GET, not " + method);
                    return;
                }
                json(ex, 200, control.state());
            } else if (path.equals("/v1/scheduler") || path.startsWith("/v1/devices/")) {
                if (!method.equals("POST")) {
                    error(ex, 405, path + " takes POST with a JSON object of the keys to change, not " + method);
                    return;
                }
                String target = path.equals("/v1/scheduler") ? "scheduler"
                        : URLDecoder.decode(path.substring("/v1/devices/".length()), StandardCharsets.UTF_8);
                ObjectNode values = body(ex);
                if (values == null) {
                    return;
                }
                try {
                    json(ex, 200, control.change(target, values));
                } catch (ControlException e) {
                    error(ex, e.status(), e.getMessage());
                }
            } else {
                error(ex, 404, "no such endpoint " + path + "; there are GET /v1/state, POST /v1/devices/NAME, "
                        + "POST /v1/scheduler" + (routes.isEmpty() ? "" : ", GET " + String.join(", GET ", routes.keySet())));
            }
        } catch (RuntimeException e) {
            // a bug, not the client's mistake: say so without the stack, which goes to the log
            org.slf4j.LoggerFactory.getLogger(AdminServer.class).warn("admin request failed", e);
            error(ex, 500, "internal error: " + e);
        }
    }

    private boolean authorized(String header) {
        String prefix = "Bearer ";
        return header != null && header.regionMatches(true, 0, prefix, 0, prefix.length())
                && Secrets.matches(token, header.substring(prefix.length()).trim());
    }

    // the request's JSON object, or null after answering why it is not one (or closing a late one)
    private ObjectNode body(HttpExchange ex) throws IOException {
        byte[] bytes;
        var late = deadlines.schedule(ex::close, BODY_DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            // closed by the deadline, or by the client: there is no one to answer
            return null;
        } finally {
            late.cancel(false);
        }
        if (bytes.length > MAX_BODY) {
            error(ex, 413, "the body is over " + MAX_BODY + " bytes; a change is a small JSON object");
            return null;
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node instanceof ObjectNode o) {
                return o;
            }
            error(ex, 400, "the body must be a JSON object of the keys to change, such as {\"weight\": 60}");
        } catch (JsonProcessingException e) {
            error(ex, 400, "the body is not JSON: " + e.getOriginalMessage());
        }
        return null;
    }

    private static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("error", message));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        deadlines.shutdownNow();
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
