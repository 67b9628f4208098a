package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.config.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Equal weights, flow 0 issuing 4 and 8 KiB requests, flow 1 issuing 64 and 128 KiB ones: cost requests
 * shares requests evenly, cost bytes shares bytes evenly, cost linear shares device time (base plus per 4 KiB,
 * reads and writes apart) evenly.
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

    @Test
    void linearCostIsBasePlusPer4KibReadsAndWritesApart() {
        CostModel m = CostModel.linear(100_000, 10_000, 300_000, 20_000);

        assertThat(m.of(new DispatchSim.SimTicket(0, 4096))).isEqualTo(110_000);
        assertThat(m.of(new DispatchSim.SimTicket(0, 65536, true))).isEqualTo(300_000 + 16 * 20_000);
        assertThat(m.of(new DispatchSim.SimTicket(0, 0, true))).as("a FLUSH: a write's base").isEqualTo(300_000);
        assertThat(m.unit()).as("one 4 KiB read").isEqualTo(110_000);
    }

    @ParameterizedTest
    @EnumSource(names = {"IOBAND", "SFQ"})
    void costLinearSharesDeviceTime(SchedulerConfig.Policy kind) {
        // a 4 KiB read costs 110 us, a 64 KiB read 260 us: equal time means 260 of flow 0 for 110 of flow 1
        Policy policy = new Builder(kind).cost(CostModel.linear(100_000, 10_000, 100_000, 10_000)).build();
        DispatchSim.Result r = new DispatchSim(policy, 128, 128).servers(8).depth(64)
                .sizes((flow, seq) -> flow == 0 ? 4096 : 65536).run(DISPATCHES);

        assertThat(r.share(0)).isCloseTo(260.0 / 370, within(0.01));
    }

    @ParameterizedTest
    @EnumSource(names = {"IOBAND", "SFQ"})
    void costLinearChargesWritesApart(SchedulerConfig.Policy kind) {
        // flow 0 writes at three times a read's base: it gets one request in four
        Policy policy = new Builder(kind).cost(CostModel.linear(100_000, 0, 300_000, 0)).build();
        DispatchSim.Result r = new DispatchSim(policy, 128, 128).servers(8).depth(64).writes(0).run(DISPATCHES);

        assertThat(r.share(0)).isCloseTo(0.25, within(0.01));
    }

    /** Equal weights, the policy's defaults, the given cost. */
    private record Builder(SchedulerConfig.Policy kind, CostModel cost) {
        Builder(SchedulerConfig.Policy kind) {
            this(kind, CostModel.REQUESTS);
        }

        Builder cost(CostModel c) {
            return new Builder(kind, c);
        }

        Policy build() {
            return kind == SchedulerConfig.Policy.IOBAND ? new IobandPolicy(new int[] {50, 50}, 4, 128, cost)
                    : new SfqPolicy(new int[] {50, 50}, cost);
        }
    }
}
