package io.vblk.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void eachRequestLandsInTheFirstBucketWhoseBoundIsAtLeastItsTime() {
        assertThat(LatencyHistogram.bucket(0)).isZero();
        assertThat(LatencyHistogram.bucket(1_000)).as("a bound is inclusive, as Prometheus' le").isZero();
        assertThat(LatencyHistogram.bucket(1_001)).isEqualTo(1);
        assertThat(LatencyHistogram.bucket(2_000)).isEqualTo(1);
        assertThat(LatencyHistogram.bucket(2_001)).isEqualTo(2);
        assertThat(LatencyHistogram.bucket(4_000)).isEqualTo(2);
        assertThat(LatencyHistogram.bucket(4_001)).isEqualTo(3);
        assertThat(LatencyHistogram.bucket(1_000_000)).as("1 ms: under 1024 us").isEqualTo(10);
        assertThat(LatencyHistogram.bucket((1L << 23) * 1_000)).isEqualTo(23);
        assertThat(LatencyHistogram.bucket((1L << 23) * 1_000 + 1)).as("+Inf").isEqualTo(24);
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).as("+Inf, no overflow").isEqualTo(24);
        // against the definition, over every bound and its neighbours
        for (int k = 0; k < 24; k++) {
            long bound = (1L << k) * 1_000;
            assertThat(LatencyHistogram.bucket(bound)).isEqualTo(k);
            assertThat(LatencyHistogram.bucket(bound + 1)).isEqualTo(k + 1);
            if (k > 0) {
                assertThat(LatencyHistogram.bucket(bound - 1)).isEqualTo(k);
            }
        }
    }

    @Test
    void theSnapshotIsInSecondsWithTheCountAndSumOfWhatWasRecorded() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(800);          // <= 1 us
        h.record(3_000);        // <= 4 us
        h.record(3_000);
        h.record(-5);           // a clock read a little behind: 0
        h.record(20_000_000_000L);  // over 8.4 s: +Inf only

        HistogramSnapshot.HistogramDataPointSnapshot p = h.snapshot(Labels.of("device", "sda11"));

        assertThat(h.count()).isEqualTo(5);
        assertThat(p.getCount()).isEqualTo(5);
        assertThat(p.getSum()).isEqualTo((800 + 6_000 + 20_000_000_000L) / 1e9);
        List<ClassicHistogramBucket> buckets = p.getClassicBuckets().stream().toList();
        assertThat(buckets.get(0).getUpperBound()).isEqualTo(1e-6);
        assertThat(buckets.get(0).getCount()).isEqualTo(2);
        assertThat(buckets).hasSize(25);
        assertThat(buckets.get(2).getUpperBound()).isEqualTo(4e-6);
        assertThat(buckets.get(2).getCount()).isEqualTo(2);
        assertThat(buckets.get(buckets.size() - 1).getUpperBound()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(buckets.get(buckets.size() - 1).getCount()).isEqualTo(1);
        assertThat(p.getLabels().get("device")).isEqualTo("sda11");
    }

    @Test
    void recordingAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LatencyHistogram h = new LatencyHistogram();
        // the first adds of an uncontended LongAdder allocate nothing either; warm the call up all the same
        for (int i = 0; i < 10_000; i++) {
            h.record(i * 997L);
        }
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            h.record(i * 997L);
        }
        long allocated = mx.getThreadAllocatedBytes(id) - before;

        // getThreadAllocatedBytes itself may allocate a few bytes; a per-call allocation would be megabytes
        assertThat(allocated).as("bytes allocated by a million records").isLessThan(4_096);
        assertThat(h.count()).isEqualTo(1_010_000);
    }
}
