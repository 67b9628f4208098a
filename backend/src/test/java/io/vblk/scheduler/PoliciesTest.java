package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.config.SchedulerConfig;
import org.junit.jupiter.api.Test;

class PoliciesTest {
    private static SchedulerConfig cfg(SchedulerConfig.Policy p, Integer ioThrottle, Integer ioLimit,
                                       SchedulerConfig.Cost cost) {
        return new SchedulerConfig(p, null, ioThrottle, ioLimit, cost);
    }

    @Test
    void createsThePolicyTheConfigNames() {
        int[] w = {100, 100};
        assertThat(Policies.create(SchedulerConfig.DEFAULT, w)).isInstanceOf(FifoPolicy.class);
        assertThat(Policies.create(cfg(SchedulerConfig.Policy.SFQ, null, null, null), w))
                .isInstanceOf(SfqPolicy.class);
        assertThat(Policies.create(cfg(SchedulerConfig.Policy.IOBAND, null, null, null), w))
                .isInstanceOf(IobandPolicy.class);
    }

    @Test
    void passesIoLimitToIoband() {
        Policy p = Policies.create(cfg(SchedulerConfig.Policy.IOBAND, null, 2, null), new int[] {1});
        p.enqueue(new DispatchSim.SimTicket(0, 512), 0);
        assertThat(p.admits(0)).isTrue();
        p.enqueue(new DispatchSim.SimTicket(0, 512), 0);
        assertThat(p.admits(0)).isFalse();
    }

    @Test
    void passesIoThrottleToIoband() {
        int[] weights = {80, 20};
        Policy one = Policies.create(cfg(SchedulerConfig.Policy.IOBAND, 1, null, null), weights);
        Policy four = Policies.create(cfg(SchedulerConfig.Policy.IOBAND, 4, null, null), weights);

        assertThat(new DispatchSim(one, 1, 1).run(1000).holds()).isPositive();
        assertThat(new DispatchSim(four, 1, 1).run(1000).holds()).isZero();
    }

    @Test
    void passesCostToSfq() {
        SfqPolicy p = (SfqPolicy) Policies.create(cfg(SchedulerConfig.Policy.SFQ, null, null, SchedulerConfig.Cost.BYTES),
                new int[] {4});
        p.enqueue(new DispatchSim.SimTicket(0, 4096), 0);
        assertThat(p.lastFinish(0) - p.headStart(0)).isEqualTo(2.0);
    }

    @Test
    void rejectsWeightsBelowOne() {
        assertThatThrownBy(() -> Policies.create(cfg(SchedulerConfig.Policy.SFQ, null, null, null), new int[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
