package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    @Test
    void oneRowPerDeviceThenTheTotalInAlignedColumns() {
        String table = ResultTable.format(Results.twoDevices());
        List<String> lines = Arrays.asList(table.split("\n"));

        assertThat(lines).containsExactly(
                "device | weight |    I/Os | ratio to total |   IOPS | MB/s | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms)",
                "-------+--------+---------+----------------+--------+------+----------+----------+----------+-----------",
                "vm1    |    100 | 120,000 |          60.0% | 12,000 | 49.2 |     0.25 |     0.80 |     1.20 |       3.40",
                "vm2    |    200 |  80,000 |          40.0% |  8,000 | 32.8 |     0.31 |     4.10 |    15.50 |    1250.00",
                "-------+--------+---------+----------------+--------+------+----------+----------+----------+-----------",
                "total  |    300 | 200,000 |         100.0% | 20,000 | 81.9 |     0.27 |     2.50 |     9.00 |      40.00");
    }

    @Test
    void everyLineHasTheSameWidth() {
        String table = ResultTable.format(Results.twoDevices());
        assertThat(table.lines().mapToInt(String::length).distinct()).hasSize(1);
    }

    @Test
    void everyLatencyColumnIsInMillisecondsAndItsHeaderSaysSo() {
        List<String[]> rows = ResultTable.format(Results.twoDevices()).lines().filter(l -> !l.startsWith("-"))
                .map(l -> l.split(" \\| ")).toList();

        assertThat(Arrays.copyOfRange(rows.get(0), 6, 10)).extracting(String::strip)
                .containsExactly("p50 (ms)", "p90 (ms)", "p99 (ms)", "p99.9 (ms)");
        // 245 us and 1.25 s in one table: both written in ms, never "µs" beside "s"
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(Arrays.copyOfRange(r, 6, 10))
                .allSatisfy(cell -> assertThat(cell.strip()).matches("\\d+\\.\\d\\d")));
    }
}
