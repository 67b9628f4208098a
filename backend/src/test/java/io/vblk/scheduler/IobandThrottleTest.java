package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.config.SchedulerConfig;
import org.junit.jupiter.api.Test;

/**
 * The 2008 finding: behind a backend that issues one request at a time per device, dm-ioband's 80/20 weights
 * gave about 50/50 at io_throttle 4 (never more than two in flight, so never held back), and the weights came
 * back once io_throttle was 1.
 */
class IobandThrottleTest {
    private static final int[] WEIGHTS = {80, 20};
    private static final int DISPATCHES = 10_000;

    private static DispatchSim.Result oneAtATimePerDevice(int ioThrottle) {
        Policy policy = Policies.create(
                new SchedulerConfig(SchedulerConfig.Policy.IOBAND, null, ioThrottle, null, null), WEIGHTS);
        return new DispatchSim(policy, 1, 1).servers(2).depth(64).run(DISPATCHES);
    }

    @Test
    void defaultThrottleGivesHalfAndHalfToOneAtATimeIssuers() {
        DispatchSim.Result r = oneAtATimePerDevice(4);

        assertThat(r.share(0)).isCloseTo(0.5, within(0.02));
        assertThat(r.holds()).isZero();
    }

    @Test
    void throttleOfOneGivesTheHeavyFlowItsWeightBack() {
        DispatchSim.Result r = oneAtATimePerDevice(1);

        assertThat(r.share(0)).isGreaterThan(0.65);
        assertThat(r.holds()).isPositive();
    }

    @Test
    void manyProcessesPerDeviceGetTheirWeightsAtTheDefaultThrottle() {
        Policy policy = Policies.create(
                new SchedulerConfig(SchedulerConfig.Policy.IOBAND, null, null, null, null), WEIGHTS);

        DispatchSim.Result r = new DispatchSim(policy, 128, 128).servers(2).depth(64).run(DISPATCHES);

        assertThat(r.share(0)).isCloseTo(0.8, within(0.01));
    }
}
