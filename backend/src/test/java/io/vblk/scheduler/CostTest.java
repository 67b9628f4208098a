package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.config.SchedulerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Equal weights, flow 0 issuing 4 and 8 KiB requests, flow 1 issuing 64 and 128 KiB ones: cost requests
 * shares requests evenly, cost bytes shares bytes evenly.
 */
class CostTest {
    private static final int DISPATCHES = 10_000;
    private static final DispatchSim.Sizes MIXED =
            (flow, seq) -> (flow == 0 ? 4096 : 65536) << (int) (seq % 2);

    private static DispatchSim.Result run(SchedulerConfig.Policy kind, SchedulerConfig.Cost cost) {
        Policy policy = Policies.create(new SchedulerConfig(kind, null, null, null, cost), new int[] {50, 50});
        return new DispatchSim(policy, 128, 128).servers(8).depth(64).sizes(MIXED).run(DISPATCHES);
    }

    @ParameterizedTest
    @EnumSource(names = {"IOBAND", "SFQ"})
    void costRequestsSharesRequests(SchedulerConfig.Policy kind) {
        DispatchSim.Result r = run(kind, SchedulerConfig.Cost.REQUESTS);

        assertThat(r.share(0)).isCloseTo(0.5, within(0.01));
        assertThat(r.byteShare(0)).isCloseTo(1.0 / 17, within(0.01));
    }

    @ParameterizedTest
    @EnumSource(names = {"IOBAND", "SFQ"})
    void costBytesSharesBytes(SchedulerConfig.Policy kind) {
        DispatchSim.Result r = run(kind, SchedulerConfig.Cost.BYTES);

        assertThat(r.byteShare(0)).isCloseTo(0.5, within(0.01));
        assertThat(r.share(0)).isCloseTo(16.0 / 17, within(0.01));
    }
}
