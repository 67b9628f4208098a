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
                "device | weight |    I/Os | ratio to total |   IOPS | MB/s | lat p50 |      p99 |    p99.9",
                "-------+--------+---------+----------------+--------+------+---------+----------+---------",
                "vm1    |    100 | 120,000 |          60.0% | 12,000 | 49.2 |  245 µs |  1.20 ms |  3.40 ms",
                "vm2    |    200 |  80,000 |          40.0% |  8,000 | 32.8 |  312 µs | 15.50 ms |   1.25 s",
                "-------+--------+---------+----------------+--------+------+---------+----------+---------",
                "total  |    300 | 200,000 |         100.0% | 20,000 | 81.9 |  270 µs |  9.00 ms | 40.00 ms");
    }

    @Test
    void everyLineHasTheSameWidth() {
        String table = ResultTable.format(Results.twoDevices());
        assertThat(table.lines().mapToInt(String::length).distinct()).hasSize(1);
    }

    @Test
    void latenciesReadInTheirOwnUnit() {
        assertThat(ResultTable.latency(0)).isEqualTo("0 µs");
        assertThat(ResultTable.latency(999)).isEqualTo("999 µs");
        assertThat(ResultTable.latency(1_000)).isEqualTo("1.00 ms");
        assertThat(ResultTable.latency(2_345_678)).isEqualTo("2.35 s");
    }
}
