package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.config.SchedulerConfig;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** With every flow backlogged (128 processes each, as in the 2008 host runs), shares follow weights. */
class WeightedSharesTest {
    private static final int DISPATCHES = 10_000;
    private static final double ONE_POINT = 0.01;

    static Stream<int[]> weightSets() {
        return Stream.of(new int[] {80, 20}, new int[] {50, 30, 20}, new int[] {1, 1, 1, 1},
                new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    }

    static Stream<Arguments> weightedPolicies() {
        return Stream.of(SchedulerConfig.Policy.SFQ, SchedulerConfig.Policy.IOBAND)
                .flatMap(p -> weightSets().map(w -> Arguments.of(p, w)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("weightedPolicies")
    void sharesFollowWeightsWithinOnePoint(SchedulerConfig.Policy kind, int[] weights) {
        Policy policy = Policies.create(new SchedulerConfig(kind, null, null, null, null), weights);
        int[] processes = new int[weights.length];
        Arrays.fill(processes, 128);

        DispatchSim.Result r = new DispatchSim(policy, processes).servers(8).depth(64).run(DISPATCHES);

        double sum = Arrays.stream(weights).sum();
        for (int f = 0; f < weights.length; f++) {
            assertThat(r.share(f)).as("share of flow %d", f).isCloseTo(weights[f] / sum, within(ONE_POINT));
        }
        assertThat(r.holds()).as("backlogged flows are never held back").isZero();
    }

    @ParameterizedTest
    @MethodSource("weightSets")
    void fifoIgnoresWeightsAndFollowsProcessCounts(int[] weights) {
        Policy policy = Policies.create(new SchedulerConfig(SchedulerConfig.Policy.FIFO, null, null, null, null),
                weights);
        int[] processes = new int[weights.length];
        for (int f = 0; f < weights.length; f++) {
            processes[f] = 8 * (weights.length - f); // the reverse of the weights' order
        }

        DispatchSim.Result r = new DispatchSim(policy, processes).servers(8).depth(16).run(DISPATCHES);

        double sum = Arrays.stream(processes).sum();
        for (int f = 0; f < weights.length; f++) {
            assertThat(r.share(f)).as("share of flow %d", f).isCloseTo(processes[f] / sum, within(ONE_POINT));
        }
    }
}
