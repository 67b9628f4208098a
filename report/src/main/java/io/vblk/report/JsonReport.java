package io.vblk.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vblk.result.LoadResult;

/**
 * The machine-readable report: snake_case field names ({@code devices[].latency_us.p99}, {@code duration_s},
 * {@code total}, {@code backend_start}...), indented, one document per run.
 */
public final class JsonReport {
    private JsonReport() {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public static String toJson(LoadResult result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a load result always serialises", e);
        }
    }

    public static void write(LoadResult result, Path file) throws IOException {
        Files.writeString(file, toJson(result) + "\n");
    }

    /** Any other report record (e.g. {@code vblk bench}'s), with the same naming and layout. */
    public static void writeValue(Object report, Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(report) + "\n");
    }

    /** Reads a report back, for tools that compare runs. */
    public static LoadResult read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LoadResult.class);
    }
}
