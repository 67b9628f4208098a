package io.vblk.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyTest {
    @Test
    void theFourPercentilesAreReadFromTheHistogram() {
        Histogram h = new Histogram(3);
        for (long us = 1; us <= 10_000; us++) {
            h.recordValue(us);
        }

        Latency l = Latency.of(h);

        // three significant digits: each percentile within 0.1 % of the value it names
        assertThat(l.p50()).isBetween(4_995L, 5_005L);
        assertThat(l.p90()).isBetween(8_991L, 9_009L);
        assertThat(l.p99()).isBetween(9_890L, 9_910L);
        assertThat(l.p999()).isBetween(9_980L, 10_010L);
        assertThat(l.max()).isBetween(10_000L, 10_010L);
    }

    @Test
    void noRequestsIsAllZero() {
        assertThat(Latency.of(new Histogram(3))).isEqualTo(new Latency(0, 0, 0, 0, 0, 0));
    }
}
