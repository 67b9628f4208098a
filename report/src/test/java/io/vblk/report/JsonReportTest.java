package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
    private final JsonNode json = parse(JsonReport.toJson(Results.twoDevices()));

    private static JsonNode parse(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void devicesCarryTheAgreedFieldNames() {
        JsonNode vm2 = json.get("devices").get(1);
        assertThat(vm2.get("name").asText()).isEqualTo("vm2");
        assertThat(vm2.get("weight").asInt()).isEqualTo(200);
        assertThat(vm2.get("ios").asLong()).isEqualTo(80_000);
        assertThat(vm2.get("share").asDouble()).isEqualTo(0.4);
        assertThat(vm2.get("iops").asDouble()).isEqualTo(8_000);
        assertThat(vm2.get("mbps").asDouble()).isEqualTo(32.768);
        assertThat(vm2.get("errors").asLong()).isEqualTo(2);
        JsonNode lat = vm2.get("latency_us");
        assertThat(lat.get("p50").asLong()).isEqualTo(312);
        assertThat(lat.get("p90").asLong()).isEqualTo(4_100);
        assertThat(lat.get("p99").asLong()).isEqualTo(15_500);
        assertThat(lat.get("p999").asLong()).isEqualTo(1_250_000);
        assertThat(lat.get("mean").asDouble()).isEqualTo(400.25);
        assertThat(lat.get("max").asLong()).isEqualTo(2_000_000);
    }

    @Test
    void topLevelHasDurationTotalAndBackendSnapshots() {
        assertThat(json.get("duration_s").asDouble()).isEqualTo(10.0);
        assertThat(json.get("total").get("name").asText()).isEqualTo("total");
        assertThat(json.get("total").get("ios").asLong()).isEqualTo(200_000);
        assertThat(json.get("backend_start").get("nanos").asLong()).isEqualTo(1_000);
        assertThat(json.get("backend_end").get("devices").get(0).get("in_service_area").asLong()).isEqualTo(900);
        assertThat(json.get("verify").get("checked").asLong()).isEqualTo(50);
        assertThat(json.has("succeeded")).isFalse();
    }

    @Test
    void aWrittenReportReadsBackEqual(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.json");
        JsonReport.write(Results.twoDevices(), file);
        assertThat(Files.readString(file)).endsWith("}\n");
        assertThat(JsonReport.read(file)).isEqualTo(Results.twoDevices());
    }
}
