package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flows' think time above a variant's table and in the experiment's JSON. */
class ThinkTimeReportTest {
    @TempDir
    Path dir;

    private static DeviceFigures device(String name, int weight, double share) {
        return new DeviceFigures(name, weight, weight / 100.0, 10_000 * share, share, 0, 100 * (share - weight / 100.0),
                8000 * share, 800, 1, 0, 1, 0, 0.5, null, 1.0, null, null);
    }

    private static VariantResult idle0() {
        List<DeviceFigures> d = List.of(device("sda11", 80, 0.52), device("sda12", 20, 0.48));
        return new VariantResult("idle 0", Map.of("backend.scheduler.idle", "0s"), "sync", "ioband", 1, d,
                Fairness.jain(d), Fairness.maxErrorPp(d), 0, 0, 0.9, 0.5, 0.6, null, null, "")
                .withThinkTimes(List.of(new ThinkTime("sda11", 9_000, 61, 12_500), new ThinkTime("sda12", 8_000, 58, 240)));
    }

    @Test
    void theThinkTimeComesBeforeTheTable() {
        String table = ExperimentTable.format(idle0());

        String line = "think time (next Q less previous R, per queue): sda11 median 61us, p99 12.5ms (9000 gaps); "
                + "sda12 median 58us, p99 240us (8000 gaps)";
        assertThat(table).contains(line);
        assertThat(table.indexOf(line)).as("above the table's head").isLessThan(table.indexOf("device "));
    }

    @Test
    void aVariantWithoutARequestLogHasNoThinkTimeLine() {
        VariantResult v = idle0();
        VariantResult none = new VariantResult(v.label(), v.keys(), v.mode(), v.policy(), v.repeats(), v.devices(),
                v.jain(), v.maxShareErrorPp(), 0, 0, 0.9, 0.5, 0.6, null, null, "");

        assertThat(none.thinkTimes()).isEmpty();
        assertThat(ExperimentTable.format(none)).doesNotContain("think time");
    }

    @Test
    void theJsonCarriesEachDevicesThinkTime() throws Exception {
        Path file = dir.resolve("idle-sweep.json");
        JsonReport.writeValue(new ExperimentResult("idle-sweep", "", 2, 1, 1, List.of(idle0()), List.of(), null), file);

        JsonNode t = new ObjectMapper().readTree(Files.readString(file)).at("/variants/0/think_times");
        assertThat(t).hasSize(2);
        assertThat(t.get(0).get("device").asText()).isEqualTo("sda11");
        assertThat(t.get(0).get("samples").asLong()).isEqualTo(9_000);
        assertThat(t.get(0).get("median_us").asDouble()).isEqualTo(61);
        assertThat(t.get(1).get("p99_us").asDouble()).isEqualTo(240);
    }
}
