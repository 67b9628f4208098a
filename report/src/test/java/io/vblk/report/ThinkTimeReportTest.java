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

/** The flows' think time above a variant's table, the disk time under it, and both in the experiment's JSON. */
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
                .withRequestLog(List.of(new ThinkTime("sda11", 9_000, 8_500, 0, 12_500, 61, 13_000),
                        new ThinkTime("sda12", 8_000, 0, 58, 240, 70, 260)),
                        List.of(new DiskTime("sda11", 0.6, 0.75, 3 * 1_048_576, 0.6),
                                new DiskTime("sda12", 0.2, 0.25, 2 * 1_048_576, 0.4)));
    }

    @Test
    void theThinkTimeComesBeforeTheTable() {
        String table = ExperimentTable.format(idle0());

        String line = "think time (next Q less previous R, per queue): sda11 median 0us, p99 12.5ms (9000 gaps, 8500 "
                + "below 0); to the next I median 61us, p99 13.0ms; sda12 median 58us, p99 240us (8000 gaps, 0 below 0); "
                + "to the next I median 70us, p99 260us";
        assertThat(table).contains(line);
        assertThat(table.indexOf(line)).as("above the table's head").isLessThan(table.indexOf("device "));
    }

    @Test
    void theDiskTimeLineGivesTheSplitOfD2cBesideTheSplitOfBytes() {
        assertThat(ExperimentTable.format(idle0()))
                .contains("disk time (sum of D2C) / bytes: sda11 0.600s (75.0%) / 3.0 MiB (60.0%); "
                        + "sda12 0.200s (25.0%) / 2.0 MiB (40.0%)");
    }

    @Test
    void aVariantWithoutARequestLogHasNoThinkTimeLine() {
        VariantResult v = idle0();
        VariantResult none = new VariantResult(v.label(), v.keys(), v.mode(), v.policy(), v.repeats(), v.devices(),
                v.jain(), v.maxShareErrorPp(), 0, 0, 0.9, 0.5, 0.6, null, null, "");

        assertThat(none.thinkTimes()).isEmpty();
        assertThat(none.diskTimes()).isEmpty();
        assertThat(ExperimentTable.format(none)).doesNotContain("think time").doesNotContain("disk time");
    }

    @Test
    void theJsonCarriesEachDevicesThinkTime() throws Exception {
        Path file = dir.resolve("idle-sweep.json");
        JsonReport.writeValue(new ExperimentResult("idle-sweep", "", 2, 1, 1, List.of(idle0()), List.of(), null), file);

        JsonNode t = new ObjectMapper().readTree(Files.readString(file)).at("/variants/0/think_times");
        assertThat(t).hasSize(2);
        assertThat(t.get(0).get("device").asText()).isEqualTo("sda11");
        assertThat(t.get(0).get("samples").asLong()).isEqualTo(9_000);
        assertThat(t.get(0).get("overlapped").asLong()).isEqualTo(8_500);
        assertThat(t.get(0).get("admit_median_us").asDouble()).isEqualTo(61);
        assertThat(t.get(1).get("p99_us").asDouble()).isEqualTo(240);
        JsonNode d = new ObjectMapper().readTree(Files.readString(file)).at("/variants/0/disk_times");
        assertThat(d.get(1).get("d2c_share").asDouble()).isEqualTo(0.25);
        assertThat(d.get(1).get("bytes").asLong()).isEqualTo(2 * 1_048_576);
    }
}
