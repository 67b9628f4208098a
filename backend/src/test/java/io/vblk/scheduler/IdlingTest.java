package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.scheduler.SchedulerSim.Dispatch;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idling and injection on the virtual clock, against schedules worked out by hand. Two sync flows (one
 * process each) weighted 80/20 under SFQ, a disk of 4 slots x 100 us, depth 32: without idling both are always
 * in service and split 50/50. Start tags (cost 1): flow 0 advances by 1/80, flow 1 by 1/20.
 */
class IdlingTest {
    private static final long US = 1_000;
    private static final int[] WEIGHTS = {80, 20};

    private static SchedulerSim sim(long idleUs, boolean inject, long thinkUs) {
        Scheduler.Idling idling = Scheduler.Idling.of(Duration.ofNanos(idleUs * US), inject, 4, WEIGHTS);
        return new SchedulerSim(new SfqPolicy(WEIGHTS, CostModel.REQUESTS), 32, idling, 4, 100 * US,
                new long[] {thinkUs * US, thinkUs * US});
    }

    @Test
    void withoutIdlingTwoSyncFlowsSplitEvenly() {
        SchedulerSim s = sim(0, false, 50).run(0, 1_500 * US - 1, 1, 1);

        // both dispatched at 0, 150, 300, ... 1350 us: ten each
        assertThat(s.dispatches()).hasSize(20);
        assertThat(s.count(0)).isEqualTo(10);
        assertThat(s.dispatches().get(19)).isEqualTo(new Dispatch(1, 1_350 * US));
        assertThat(s.holds()).as("a work-conserving policy without idling never holds back").isZero();
    }

    @Test
    void anIdleWindowAboveTheThinkTimeServesOneFlowAtATimeInWeightOrder() {
        SchedulerSim s = sim(1_000, false, 50).run(0, 1_500 * US - 1, 1, 1);

        // 0: flow 0 (tags 0 vs 0, lower index); flow 1 waits while flow 0 is served. 100: flow 0 completes, idle
        // opens. 150: flow 0 arrives (start 1/80); flow 1's head has start 0 and goes; flow 0 waits. 300: flow 1
        // arrives again (start 1/20): flow 0 goes, and again at 450, 600, 750 (tie at 1/20: lower index), then flow
        // 1 at 900: four of flow 0 for each of flow 1, one request on the disk at a time.
        assertThat(s.dispatches()).containsExactly(
                new Dispatch(0, 0), new Dispatch(1, 150 * US), new Dispatch(0, 300 * US), new Dispatch(0, 450 * US),
                new Dispatch(0, 600 * US), new Dispatch(0, 750 * US), new Dispatch(1, 900 * US),
                new Dispatch(0, 1_050 * US), new Dispatch(0, 1_200 * US), new Dispatch(0, 1_350 * US));
        // flow 0 idled from each completion to its next arrival, 50 us each: 100, 400, 550, 700, 850, 1150, 1300;
        // the period opened at 1450 is still open at the end (1500 us less 1 ns) and counts so far
        Scheduler.FlowSnapshot f0 = s.flow(0);
        assertThat(f0.idleArrivals()).isEqualTo(7);
        assertThat(f0.idleTimeouts()).isZero();
        assertThat(f0.idleNanos()).isEqualTo(7 * 50 * US + 50 * US - 1);
        assertThat(s.flow(1).idleArrivals()).isEqualTo(2);
    }

    @Test
    void anIdleWindowUnderTheThinkTimeTimesOutAndHandsTheDiskOver() {
        SchedulerSim s = sim(1_000, false, 2_000).run(0, 4_500 * US, 1, 1);

        // 0: flow 0; 100: it completes, idle until 1100, when flow 1 (waiting since 0) goes; 1200: flow 1
        // completes, idle until 2200 (flow 0 arrived at 2100 and waited); 2200: flow 0; 2300-3300 idle; 3300:
        // flow 1 (arrived 3200); 3400-4400 idle; 4400: flow 0 (arrived 4300)
        List<Dispatch> d = s.dispatches();
        assertThat(d).containsExactly(new Dispatch(0, 0), new Dispatch(1, 1_100 * US), new Dispatch(0, 2_200 * US),
                new Dispatch(1, 3_300 * US), new Dispatch(0, 4_400 * US));
        assertThat(s.flow(0).idleTimeouts()).isEqualTo(2);
        assertThat(s.flow(1).idleTimeouts()).isEqualTo(2);
        assertThat(s.flow(0).idleNanos()).isEqualTo(2 * 1_000 * US);
        assertThat(s.flow(0).idleArrivals()).isZero();
        // the decisions that held the other flow back: flow 1's offer at 0 while flow 0 is dispatched, flow 0's
        // completion at 100 (the idle period opens), and the arrivals at 2100, 3200 and 4300 inside a period;
        // the timer's wake-ups at 1100, 2200, 3300 and 4400 dispatch
        assertThat(s.holds()).isEqualTo(5);
    }

    @Test
    void injectionFillsTheSlotsTheServedFlowCannotUse() {
        SchedulerSim s = sim(1_000, true, 50).run(0, 1_500 * US - 1, 1, 1);

        // flow 0 (served, at most 1 in the scheduler) leaves 3 of 4 slots: flow 1 is injected at once, each round
        assertThat(s.dispatches()).hasSize(20);
        assertThat(s.dispatches().subList(0, 4)).containsExactly(new Dispatch(0, 0), new Dispatch(1, 0),
                new Dispatch(0, 150 * US), new Dispatch(1, 150 * US));
        assertThat(s.count(1)).isEqualTo(10);
    }

    @Test
    void equalWeightsNeverIdle() {
        assertThat(Scheduler.Idling.of(Duration.ofMillis(8), true, 4, new int[] {50, 50}))
                .isEqualTo(Scheduler.Idling.OFF);
        assertThat(Scheduler.Idling.of(Duration.ofMillis(8), true, 4, new int[] {50, 51}).idleNanos())
                .isEqualTo(8_000_000);
    }
}
