package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FairnessTest {
    /** A device whose share error follows from its share and weight share, as ExperimentRunner computes it. */
    private static DeviceFigures device(String name, double weightShare, double share, double inflight, double backlog,
                                        int peak) {
        return new DeviceFigures(name, (int) Math.round(100 * weightShare), weightShare, 10_000 * share, share, 0,
                100 * (share - weightShare), 1000 * share, 500, inflight, backlog, peak, 0);
    }

    private static DeviceFigures withError(String name, double errorPp, double inflight, double backlog) {
        return new DeviceFigures(name, 50, 0.5, 5000, 0.5 + errorPp / 100, 0, errorPp, 500, 500, inflight, backlog, 8, 0);
    }

    // ---- Jain's index over weight-normalized shares

    @Test
    void sharesExactlyAsWeightedScoreOne() {
        assertThat(Fairness.jain(List.of(device("a", 0.8, 0.8, 8, 8, 8), device("b", 0.2, 0.2, 8, 8, 8))))
                .isCloseTo(1.0, within(1e-12));
        assertThat(Fairness.jain(List.of(device("a", 0.5, 0.5, 8, 8, 8), device("b", 0.3, 0.3, 8, 8, 8),
                device("c", 0.2, 0.2, 8, 8, 8)))).isCloseTo(1.0, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void oneDeviceTakingEverythingAmongNScoresOneOverN(int n) {
        List<DeviceFigures> equal = new ArrayList<>();
        List<DeviceFigures> unequal = new ArrayList<>();
        double weightSum = n * (n + 1) / 2.0;
        for (int i = 0; i < n; i++) {
            equal.add(device("d" + i, 1.0 / n, i == 0 ? 1 : 0, 8, 8, 8));
            unequal.add(device("d" + i, (i + 1) / weightSum, i == n - 1 ? 1 : 0, 8, 8, 8));
        }

        assertThat(Fairness.jain(equal)).isCloseTo(1.0 / n, within(1e-12));
        assertThat(Fairness.jain(unequal)).isCloseTo(1.0 / n, within(1e-12));
    }

    @Test
    void aFiftyFiftySplitOfEightyTwentyWeightsScoresTwentyFiveThirtyFourths() {
        // x = 0.5/0.8 = 5/8 and 0.5/0.2 = 5/2: (25/8)^2 / (2 * (25/64 + 25/4)) = 625/850 = 25/34
        List<DeviceFigures> d = List.of(device("a", 0.8, 0.5, 1, 0, 1), device("b", 0.2, 0.5, 1, 0, 1));

        assertThat(Fairness.jain(d)).isCloseTo(25.0 / 34, within(1e-12));
    }

    @Test
    void aThreeWayMixScoresAsComputedByHand() {
        // x = 0.6/0.5 = 1.2, 0.3/0.3 = 1, 0.1/0.2 = 0.5: 2.7^2 / (3 * 2.69) = 7.29 / 8.07
        List<DeviceFigures> d = List.of(device("a", 0.5, 0.6, 8, 8, 8), device("b", 0.3, 0.3, 8, 8, 8),
                device("c", 0.2, 0.1, 8, 8, 8));

        assertThat(Fairness.jain(d)).isCloseTo(7.29 / 8.07, within(1e-12));
    }

    @Test
    void nothingMeasuredScoresZero() {
        assertThat(Fairness.jain(List.of())).isZero();
        assertThat(Fairness.jain(List.of(device("a", 0.5, 0, 0, 0, 0), device("b", 0.5, 0, 0, 0, 0)))).isZero();
    }

    // ---- largest share error

    @Test
    void maxErrorIsTheLargestDeviationEitherWay() {
        assertThat(Fairness.maxErrorPp(List.of(withError("a", 5, 8, 8), withError("b", -12.5, 8, 8),
                withError("c", 3, 8, 8)))).isEqualTo(12.5);
        assertThat(Fairness.maxErrorPp(List.of(withError("a", -0.25, 8, 8)))).isEqualTo(0.25);
        assertThat(Fairness.maxErrorPp(List.of())).isZero();
    }

    // ---- the explanation, one branch each

    @Test
    void sharesWithinThreePointsFollowTheWeights() {
        List<DeviceFigures> d = List.of(device("sda11", 0.8, 0.79, 20, 40, 32), device("sda12", 0.2, 0.21, 20, 12.5, 32));

        String e = Fairness.explain("aio", "sfq", d);

        assertThat(e).isEqualTo("shares follow the weights (largest error 1.0 pp): every device kept requests waiting at "
                + "the scheduler (least mean backlog 12.5, sda12), so sfq could choose");
    }

    @Test
    void anErrorOfExactlyThreePointsStillFollowsTheWeights() {
        List<DeviceFigures> d = List.of(withError("a", 3.0, 1, 0), withError("b", -3.0, 30, 0));

        assertThat(Fairness.explain("aio", "ioband", d)).startsWith("shares follow the weights (largest error 3.0 pp)");
        assertThat(Fairness.explain("aio", "ioband", List.of(withError("a", 3.05, 1, 0), withError("b", -3.05, 30, 0))))
                .doesNotStartWith("shares follow the weights");
    }

    @Test
    void aDeviceWithOneRequestInFlightWaitsBehindOneWithMany() {
        List<DeviceFigures> d = List.of(device("vm", 0.8, 0.02, 1.0, 0.0, 1), device("host", 0.2, 0.98, 30.24, 90, 128));

        String e = Fairness.explain("sync+aio", "ioband", d);

        assertThat(e).isEqualTo("vm never had more than one request in the backend (mean in flight 1.00, peak 1) while "
                + "host kept 30.2: a weight can only reorder requests that wait, and vm's single request waits behind "
                + "host's");
    }

    @Test
    void theSingleRequestBranchNeedsTheOtherDeviceToKeepAtLeastFour() {
        List<DeviceFigures> atFour = List.of(device("vm", 0.8, 0.3, 1.05, 0.0, 1), device("host", 0.2, 0.7, 4.0, 9, 8));
        List<DeviceFigures> belowFour = List.of(device("vm", 0.8, 0.3, 1.05, 0.0, 1), device("host", 0.2, 0.7, 3.9, 9, 8));
        List<DeviceFigures> vmAboveOne = List.of(device("vm", 0.8, 0.3, 1.2, 0.0, 2), device("host", 0.2, 0.7, 9, 9, 8));

        assertThat(Fairness.explain("aio", "ioband", atFour)).startsWith("vm never had more than one request");
        assertThat(Fairness.explain("aio", "ioband", belowFour)).startsWith("vm rarely had a request waiting");
        assertThat(Fairness.explain("aio", "ioband", vmAboveOne)).startsWith("vm rarely had a request waiting");
    }

    @Test
    void anEmptyQueueLeavesTheWeightsNothingToActOnInSyncMode() {
        List<DeviceFigures> d = List.of(device("sda11", 0.8, 0.51, 0.98, 0.12, 1), device("sda12", 0.2, 0.49, 0.97, 0.3, 1));

        String e = Fairness.explain("sync", "ioband", d);

        assertThat(e).isEqualTo("sda11 rarely had a request waiting at the scheduler (mean backlog 0.12, mean in flight "
                + "0.98, one request per queue in sync mode): weights cannot act on an empty queue");
    }

    @Test
    void anEmptyQueueOutsideSyncModeSaysNothingOfSync() {
        List<DeviceFigures> d = List.of(device("a", 0.8, 0.6, 2.5, 3, 4), device("b", 0.2, 0.4, 2.25, 0.456, 4));

        String e = Fairness.explain("aio", "sfq", d);

        assertThat(e).isEqualTo("b rarely had a request waiting at the scheduler (mean backlog 0.46, mean in flight 2.25)"
                + ": weights cannot act on an empty queue");
    }

    @Test
    void fifoIgnoresWeightsAndListsEachDevicesInFlight() {
        List<DeviceFigures> backlogged = List.of(device("sda11", 0.8, 0.5, 64, 60, 128), device("sda12", 0.2, 0.5, 63.46, 61, 128));
        List<DeviceFigures> empty = List.of(device("sda11", 0.8, 0.5, 2, 0.1, 4), device("sda12", 0.2, 0.5, 2, 0.1, 4));

        assertThat(Fairness.explain("aio", "fifo", backlogged)).isEqualTo("fifo ignores weights: shares follow how many "
                + "requests each device keeps in the backend (mean in flight sda11 64.0 sda12 63.5)");
        assertThat(Fairness.explain("aio", "fifo", empty)).startsWith("fifo ignores weights");
    }

    @Test
    void backloggedDevicesThatStillMissTheWeightsBlameTheDispatchDepth() {
        List<DeviceFigures> d = List.of(device("a", 0.5, 0.4, 8, 20, 8), device("b", 0.3, 0.3, 8, 30, 8),
                device("c", 0.2, 0.3, 7.96, 25, 8));

        String e = Fairness.explain("aio", "sfq", d);

        assertThat(e).isEqualTo("every device was backlogged (least mean backlog 20.0) yet shares miss the weights by up "
                + "to 10.0 pp: the dispatch depth lets requests past the policy (mean in flight a 8.0 b 8.0 c 8.0)");
    }
}
