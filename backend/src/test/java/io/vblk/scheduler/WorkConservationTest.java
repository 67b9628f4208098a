package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** An idle flow's share goes to the busy ones. */
class WorkConservationTest {
    private static final int DISPATCHES = 10_000;

    @Test
    void sfqGivesAnIdleFlowsShareToTheOthersInProportion() {
        Policy policy = new SfqPolicy(new int[] {50, 30, 20}, CostModel.REQUESTS);

        DispatchSim.Result r = new DispatchSim(policy, 0, 128, 128).servers(8).depth(64).run(DISPATCHES);

        assertThat(r.dispatches()[0]).isZero();
        assertThat(r.share(1)).isCloseTo(0.6, within(0.01));
        assertThat(r.share(2)).isCloseTo(0.4, within(0.01));
        assertThat(r.holds()).isZero();
    }

    @Test
    void sfqNeverHoldsBackOneAtATimeIssuers() {
        Policy policy = new SfqPolicy(new int[] {80, 20}, CostModel.REQUESTS);

        DispatchSim.Result r = new DispatchSim(policy, 1, 1).servers(2).depth(64).run(DISPATCHES);

        assertThat(r.holds()).isZero();
        assertThat(r.share(0)).isCloseTo(0.5, within(0.01));
    }

    @Test
    void iobandStartsANewEpochWhenTheOnlyTokenHolderIsIdle() {
        // io-throttle 1 would hold flow 1 back if flow 0 had anything in flight; it has nothing
        Policy policy = new IobandPolicy(new int[] {80, 20}, 1, 128, CostModel.REQUESTS);

        DispatchSim.Result r = new DispatchSim(policy, 0, 4).servers(2).depth(64).run(DISPATCHES);

        assertThat(r.dispatches()[1]).isEqualTo(DISPATCHES);
        assertThat(r.holds()).isZero();
    }
}
