package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Latency-driven depth (io.latency) on the virtual clock, against sequences worked out by hand. FIFO, a disk of
 * one slot x 100 us, max depth 8 (step 8 / 16, at least 1); flow 0 one process with a 450 us target, flow 1 eight
 * processes and no target; no think time. The disk never idles, so completions fall every 100 us and each
 * 100 ms window ends at the completion at its last instant. With flow 1 at depth d the disk's FIFO cycles
 * through d + 1 requests: flow 0's latency is (d + 1) x 100 us, a miss from d = 4 on.
 */
class LatencyDepthTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private static SchedulerSim sim(long... targetsUs) {
        long[] targets = new long[targetsUs.length];
        for (int f = 0; f < targets.length; f++) {
            targets[f] = targetsUs[f] * US;
        }
        Scheduler.DepthControl control = Scheduler.DepthControl.of(8, targets);
        return new SchedulerSim(new FifoPolicy(2), 8, Scheduler.Idling.OFF, control, 1, 100 * US, new long[] {0, 0});
    }

    @Test
    void aMissHalvesTheOthersDepthAndAWindowMetGrowsItBackByAStep() {
        SchedulerSim s = sim(450, 0).run(0, 900 * MS, 1, 8);

        // window 1 (0-100 ms): depth 8, 900 us: miss, 8 -> 4; window 2: 500 us (the first ones more, while flow 1
        // drains from 8 to 4): miss, 4 -> 2; window 3: 300 us, met, 2 -> 3; 4: 400 us, met, 3 -> 4; 5: 500 us,
        // miss, 4 -> 2; and again 3, 4, 2 at 600, 700, 800 ms; 900 ms: met, 3
        assertThat(s.flow(1).depthSeries()).containsExactly(0, 8, 100 * MS, 4, 200 * MS, 2, 300 * MS, 3, 400 * MS, 4,
                500 * MS, 2, 600 * MS, 3, 700 * MS, 4, 800 * MS, 2, 900 * MS, 3);
        // the flow that missed keeps its depth
        assertThat(s.flow(0).depthSeries()).containsExactly(0, 8);
        assertThat(s.flow(0).latencyMisses()).isEqualTo(4);
        assertThat(s.flow(1).latencyMisses()).isZero();
        assertThat(s.flow(1).depth()).isEqualTo(3);
        // depth x time: 8, 4, 2, 3, 4, 2, 3, 4, 2 for 100 ms each
        assertThat(s.flow(1).depthArea()).isEqualTo((8 + 4 + 2 + 3 + 4 + 2 + 3 + 4 + 2) * 100 * MS);
        // flow 1 never had more in the scheduler than its depth: at most 8, and the disk never idled
        assertThat(s.flow(1).peakInScheduler()).isEqualTo(8);
        assertThat(s.dispatches()).hasSizeGreaterThanOrEqualTo(9_000);
    }

    @Test
    void aDepthNeverFallsBelowOne() {
        // a target no depth can meet (the flow's own service is 100 us): flow 1 halves every window, 8 4 2 1 1
        SchedulerSim s = sim(50, 0).run(0, 500 * MS, 1, 8);

        assertThat(s.flow(1).depthSeries()).containsExactly(0, 8, 100 * MS, 4, 200 * MS, 2, 300 * MS, 1);
        assertThat(s.flow(0).latencyMisses()).isEqualTo(5);
        // at depth 1 the two flows alternate on the disk
        long late = s.dispatches().stream().filter(d -> d.at() >= 400 * MS && d.at() < 500 * MS && d.flow() == 1).count();
        assertThat(late).isBetween(499L, 501L);
    }

    @Test
    void withoutATargetThereIsNoControl() {
        assertThat(Scheduler.DepthControl.of(8, new long[] {0, 0})).isEqualTo(Scheduler.DepthControl.OFF);
        SchedulerSim s = new SchedulerSim(new FifoPolicy(2), 8, Scheduler.Idling.OFF, 1, 100 * US, new long[] {0, 0})
                .run(0, 300 * MS, 1, 8);
        assertThat(s.flow(1).depth()).isZero();
        assertThat(s.flow(1).depthSeries()).isEmpty();
    }

    @Test
    void theWindowIsSixteenTargetsFrom100msTo1s() {
        assertThat(Scheduler.DepthControl.of(64, new long[] {1 * MS, 0}).windowNanos()).isEqualTo(100 * MS);
        assertThat(Scheduler.DepthControl.of(64, new long[] {20 * MS, 10 * MS}).windowNanos()).isEqualTo(160 * MS);
        assertThat(Scheduler.DepthControl.of(64, new long[] {0, 100 * MS}).windowNanos()).isEqualTo(1_000 * MS);
        assertThat(Scheduler.DepthControl.of(64, new long[] {1 * MS}).step()).isEqualTo(4);
    }
}
