package io.vblk.requestlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The first line a run writes to its request log: which run the records after it belong to (until the next
 * header, when runs were appended with {@code --append}), what wrote them ({@code log}: backend or frontend),
 * the writer's mode, the hash of its parsed config (equal hashes: the same settings), and when it started,
 * wall clock and on the records' own monotonic clock. Its first key is {@code run}, so a reader tells a header
 * from a record by the line's first bytes.
 */
public record RunHeader(String run, String log, String mode, @JsonProperty("config_hash") String configHash,
                        String start, @JsonProperty("start_ns") long startNs) implements JsonLine {
    /** What a header line begins with, and a record line never does. */
    public static final String PREFIX = "{\"run\":";

    private static final JsonLineWriter.Key K_RUN = JsonLineWriter.key("run");
    private static final JsonLineWriter.Key K_LOG = JsonLineWriter.key("log");
    private static final JsonLineWriter.Key K_MODE = JsonLineWriter.key("mode");
    private static final JsonLineWriter.Key K_CONFIG_HASH = JsonLineWriter.key("config_hash");
    private static final JsonLineWriter.Key K_START = JsonLineWriter.key("start");
    private static final JsonLineWriter.Key K_START_NS = JsonLineWriter.key("start_ns");

    /** A new run's header, now: a fresh id, the hash of {@code config}'s canonical text. */
    public static RunHeader start(String log, String mode, Object config) {
        return new RunHeader(UUID.randomUUID().toString().substring(0, 8), log, mode, hash(String.valueOf(config)),
                Instant.now().toString(), System.nanoTime());
    }

    @Override
    public void writeJson(JsonLineWriter w) {
        w.str(K_RUN, run).str(K_LOG, log).str(K_MODE, mode).str(K_CONFIG_HASH, configHash).str(K_START, start)
                .num(K_START_NS, startNs);
    }

    /** The first 12 hex digits of the SHA-256 of {@code text}: enough to tell two configs apart at a glance. */
    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
