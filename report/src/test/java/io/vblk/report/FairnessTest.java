package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.vblk.result.WindowFigures;

class FairnessTest {
    /** A device whose share error follows from its share and weight share, as ExperimentRunner computes it. */
    private static DeviceFigures device(String name, double weightShare, double share, double inflight, double backlog,
                                        int peak) {
        return device(name, weightShare, share, inflight, backlog, peak, 1.0, null, 1.0);
    }

    /** With the figures that say whether the weights could act: backlogged time, all-backlogged share, load held. */
    private static DeviceFigures device(String name, double weightShare, double share, double inflight, double backlog,
                                        int peak, double backlogged, Double shareBacklogged, Double held) {
        return new DeviceFigures(name, (int) Math.round(100 * weightShare), weightShare, 10_000 * share, share, 0,
                100 * (share - weightShare), 1000 * share, 500, inflight, backlog, peak, 0, backlogged, shareBacklogged,
                held, null, null);
    }

    private static DeviceFigures withError(String name, double errorPp, double inflight, double backlog) {
        return new DeviceFigures(name, 50, 0.5, 5000, 0.5 + errorPp / 100, 0, errorPp, 500, 500, inflight, backlog, 8, 0,
                1.0, null, 1.0, null, null);
    }

    private static WindowFigures window(double lag, WindowFigures.DeviceWindow... devices) {
        return new WindowFigures(5, 0.5, lag, 0.99, List.of(devices));
    }

    @Test
    void withoutAnEmulatedDiskLittleHeldIsWhereTheBottleneckIsNotAStarvedHost() {
        WindowFigures noDisk = new WindowFigures(5, 0, 0.001, null, List.of(held("a", 0.02)));
        assertThat(Fairness.hostLimit(noDisk)).isNull();
        List<DeviceFigures> d = List.of(device("a", 0.8, 0.5, 0.02, 0, 2, 0.002, null, 0.02),
                device("b", 0.2, 0.5, 0.02, 0, 2, 0.002, null, 0.02));
        assertThat(Fairness.explain("aio", "sfq", d, 0, null, null)).contains("no emulated disk: the store answered as fast "
                + "as the load asked").doesNotContain("starved");
    }

    private static WindowFigures.DeviceWindow held(String name, Double fraction) {
        return new WindowFigures.DeviceWindow(name, 50, 0.5, 1, null, fraction, 8, 8, 8, 0, 0, 0, null, null);
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

    // ---- the host's verdict

    @Test
    void aLoadThatHeldUnderNinetyPercentOfItsProcessesIsNamed() {
        String why = Fairness.hostLimit(window(0.001, held("a", 0.434), held("b", 0.95), held("c", 0.899)));

        assertThat(why).isEqualTo("the host limited this run, not the backend's concurrency or the scheduler: the load "
                + "kept only 43 % of a's requests in the backend (load_held_fraction 0.43); the load kept only 90 % of c's "
                + "requests in the backend (load_held_fraction 0.90)");
    }

    @Test
    void dispatchLagOverFivePercentIsTheBackendThreadsBeingLate() {
        assertThat(Fairness.hostLimit(window(0.072, held("a", 1.0)))).endsWith("the backend's threads left a possible "
                + "dispatch untaken 7.2 % of the time (dispatch lag)");
        assertThat(Fairness.hostLimit(window(0.05, held("a", 0.9), held("b", null)))).isNull();
    }

    // ---- the explanation, one branch each

    @Test
    void sharesWithinThreePointsFollowTheWeights() {
        List<DeviceFigures> d = List.of(device("sda11", 0.8, 0.79, 20, 40, 32, 0.99, 0.8, 1.0),
                device("sda12", 0.2, 0.21, 20, 12.5, 32, 0.97, 0.2, 1.0));

        String e = Fairness.explain("aio", "sfq", d, 0.96, 1.0, null);

        assertThat(e).isEqualTo("shares follow the weights (largest error 1.0 pp): every device was backlogged at least "
                + "97 % of the time (least: sda12), so sfq could choose");
    }

    @Test
    void anErrorOfExactlyThreePointsStillFollowsTheWeights() {
        List<DeviceFigures> d = List.of(withError("a", 3.0, 1, 0), withError("b", -3.0, 30, 0));

        assertThat(Fairness.explain("aio", "ioband", d, 1, null, null)).startsWith("shares follow the weights (largest error 3.0 pp)");
        assertThat(Fairness.explain("aio", "ioband", List.of(withError("a", 3.05, 1, 0), withError("b", -3.05, 30, 0)), 1,
                null, null)).doesNotStartWith("shares follow the weights");
    }

    @Test
    void aStarvedLoadIsNamedAndTheDepthIsNotBlamedWhenTheDecisionsFollowedTheWeights() {
        // the noisy three-way run of the honest-results issue, as its request log measured it
        List<DeviceFigures> d = List.of(device("a", 0.6, 0.507, 8, 22, 64, 0.79, 0.605, 0.434),
                device("b", 0.3, 0.345, 8, 40, 64, 0.88, 0.296, 0.7), device("c", 0.1, 0.148, 8, 48, 64, 0.93, 0.099, 0.8));

        String e = Fairness.explain("aio", "sfq", d, 0.62, 0.97, null);

        assertThat(e).isEqualTo("the load kept a request of a waiting at the scheduler only 79 % of the time, and held "
                + "only 43 % of its processes' requests (the host starved the load): weights cannot act on an empty "
                + "queue; while all were backlogged (62 % of the time) sfq dispatched a 60.5 %, b 29.6 %, c 9.9 % "
                + "(weights 60/30/10 %), as weighted").doesNotContain("depth");
    }

    @Test
    void aDeviceWithOneRequestInFlightWaitsBehindOneWithMany() {
        List<DeviceFigures> d = List.of(device("vm", 0.8, 0.02, 1.0, 0.0, 1, 0.01, null, 1.0),
                device("host", 0.2, 0.98, 30.24, 90, 128, 1.0, null, 1.0));

        String e = Fairness.explain("sync+aio", "ioband", d, 0.0, 1.0, null);

        assertThat(e).isEqualTo("vm never had more than one request in the backend (mean in service 1.00, peak 1, "
                + "backlogged 1 % of the time) while host kept 30.2: a weight can only reorder requests that wait, and "
                + "vm's single request waits behind host's");
    }

    @Test
    void theSingleRequestBranchNeedsTheOtherDeviceToKeepAtLeastFour() {
        List<DeviceFigures> atFour = List.of(device("vm", 0.8, 0.3, 1.05, 0.0, 1, 0.1, null, 1.0),
                device("host", 0.2, 0.7, 4.0, 9, 8));
        List<DeviceFigures> belowFour = List.of(device("vm", 0.8, 0.3, 1.05, 0.0, 1, 0.1, null, 1.0),
                device("host", 0.2, 0.7, 3.9, 9, 8));
        List<DeviceFigures> vmAboveOne = List.of(device("vm", 0.8, 0.3, 1.2, 0.0, 2, 0.1, null, 1.0),
                device("host", 0.2, 0.7, 9, 9, 8));

        assertThat(Fairness.explain("aio", "ioband", atFour, 0, null, null)).startsWith("vm never had more than one request");
        assertThat(Fairness.explain("aio", "ioband", belowFour, 0, null, null)).startsWith("the load kept a request of vm waiting");
        assertThat(Fairness.explain("aio", "ioband", vmAboveOne, 0, null, null)).startsWith("the load kept a request of vm waiting");
    }

    @Test
    void anEmptyQueueInSyncModeIsWhatTheModeProducesAndTheHalfIdleDiskToo() {
        List<DeviceFigures> d = List.of(device("sda11", 0.8, 0.51, 0.98, 0.12, 1, 0.11, null, 0.99),
                device("sda12", 0.2, 0.49, 0.97, 0.3, 1, 0.2, null, 0.99));

        String e = Fairness.explain("sync", "ioband", d, 0.0, 0.37, null);

        assertThat(e).isEqualTo("the load kept a request of sda11 waiting at the scheduler only 11 % of the time, mean "
                + "in service 0.98 (one request per queue in sync mode, so the disk was busy only 37 %, as the mode "
                + "allows): weights cannot act on an empty queue");
    }

    @Test
    void anEmptyQueueOutsideSyncModeSaysNothingOfSync() {
        List<DeviceFigures> d = List.of(device("a", 0.8, 0.6, 2.5, 3, 4, 0.95, null, 1.0),
                device("b", 0.2, 0.4, 2.25, 0.456, 4, 0.3, null, 1.0));

        String e = Fairness.explain("aio", "sfq", d, 0.3, null, null);

        assertThat(e).isEqualTo("the load kept a request of b waiting at the scheduler only 30 % of the time, mean in "
                + "service 2.25: weights cannot act on an empty queue");
    }

    @Test
    void aHalfIdleDiskWhileRequestsWaitedIsTheHostsCpuInAioMode() {
        List<DeviceFigures> d = List.of(device("a", 0.8, 0.6, 8, 30, 8, 0.97, 0.7, 1.0),
                device("b", 0.2, 0.4, 8, 20, 8, 0.95, 0.3, 1.0));

        assertThat(Fairness.explain("aio", "sfq", d, 0.9, 0.58, null)).isEqualTo("disk busy 58 % while requests waited at the "
                + "scheduler (least backlogged 95 % of the time): the host's CPU, not the disk, limited this run");
    }

    @Test
    void fifoIgnoresWeightsAndListsEachDevicesInFlight() {
        List<DeviceFigures> backlogged = List.of(device("sda11", 0.8, 0.5, 64, 60, 128),
                device("sda12", 0.2, 0.5, 63.46, 61, 128));

        assertThat(Fairness.explain("aio", "fifo", backlogged, 1, 1.0, null)).isEqualTo("fifo ignores weights: shares follow "
                + "how many requests each device keeps in the backend (mean in service sda11 64.0 sda12 63.5)");
    }

    @Test
    void onlyDecisionsThatMissedTheWeightsWhileAllWereBackloggedBlameThePolicy() {
        List<DeviceFigures> d = List.of(device("a", 0.5, 0.4, 8, 20, 8, 0.99, 0.42, 1.0),
                device("b", 0.3, 0.3, 8, 30, 8, 0.99, 0.3, 1.0), device("c", 0.2, 0.3, 7.96, 25, 8, 0.98, 0.28, 1.0));

        String e = Fairness.explain("aio", "sfq", d, 0.97, 0.99, null);

        assertThat(e).isEqualTo("every device was backlogged (all at once 97 % of the time) yet sfq dispatched a 42.0 %, "
                + "b 30.0 %, c 28.0 % (weights 50/30/20 %) then, missing the weights by up to 8.0 pp: the policy's own "
                + "error");
    }

    // ---- the split of the error: the backend's concurrency, then the scheduler

    /** vm-vs-host at depth 32: the vm's one request allows 25 % of a 4 x 500 us disk, the host the other 75 %. */
    private static List<DeviceFigures> vmVsHost(double vmShare) {
        return List.of(new DeviceFigures("vm", 80, 0.8, 300, vmShare, 0, 100 * (vmShare - 0.8), 240, 500, 1, 0.02, 1, 0,
                        0.02, null, 1.0, 1, 0.25),
                new DeviceFigures("host", 20, 0.2, 9700, 1 - vmShare, 0, 100 * (0.2 - vmShare), 7760, 500, 32, 96, 128, 0,
                        1.0, null, 1.0, 128, 0.75));
    }

    @Test
    void theErrorOfTheDeviceThatLostMostIsSplitIntoConcurrencyAndScheduler() {
        String e = Fairness.explain("sync+aio", "sfq", vmVsHost(0.03), 0.02, 1.0, 32);

        assertThat(e).startsWith("vm never had more than one request in the backend").endsWith("; vm: weight 80 %, its 1 "
                + "request in service allows at most 25 %, it got 3.0 %: 55 pp from the backend's concurrency, 22 pp from "
                + "the scheduler (depth 32 puts 31 requests ahead of it at the disk)");
        assertThat(vmVsHost(0.03).get(0).concurrencyGapPp()).isCloseTo(55, within(1e-9));
        assertThat(vmVsHost(0.03).get(0).schedulerGapPp()).isCloseTo(22, within(1e-9));
        assertThat(vmVsHost(0.03).get(1).schedulerGapPp()).isCloseTo(-22, within(1e-9));
    }

    @Test
    void inSyncModeOnlyTheOtherDevicesRequestsInServiceAreAheadNotTheWholeDepth() {
        // the seed in sync mode: one request per device in service, one disk slot: they alternate
        List<DeviceFigures> seedSync = List.of(new DeviceFigures("sda11", 80, 0.8, 1228, 0.505, 0, -29.5, 246, 590_000,
                        0.97, 0, 1, 0, 0, null, 1.0, 1, 0.8),
                new DeviceFigures("sda12", 20, 0.2, 1205, 0.495, 0, 29.5, 241, 590_000, 0.97, 0, 1, 0, 0, null, 1.0, 1, 0.2));

        assertThat(Fairness.split(seedSync, 32)).endsWith("30 pp from the scheduler (depth 32 puts 1 request ahead of it "
                + "at the disk)");
    }

    @Test
    void aSchedulerThatGaveMoreThanTheFeasibleShareHasANegativeGapAndNoDepthToBlame() {
        // depth 1: one request at the disk at a time, so the vm alternates with the host and gets 50 %
        String e = Fairness.explain("sync+aio", "sfq", vmVsHost(0.5), 0.02, 0.25, 1);

        assertThat(e).endsWith("; vm: weight 80 %, its 1 request in service allows at most 25 %, it got 50.0 %: 55 pp "
                + "from the backend's concurrency, -25 pp from the scheduler");
    }

    @Test
    void noSplitWhenTheSharesFollowTheWeightsOrNoFeasibleShareIsKnown() {
        List<DeviceFigures> followed = List.of(new DeviceFigures("a", 80, 0.8, 7900, 0.79, 0, -1, 6320, 500, 32, 40, 32, 0,
                0.99, 0.8, 1.0, 128, 0.8), new DeviceFigures("b", 20, 0.2, 2100, 0.21, 0, 1, 1680, 500, 32, 12, 32, 0, 0.97,
                0.2, 1.0, 128, 0.2));
        List<DeviceFigures> unknown = List.of(device("vm", 0.8, 0.03, 1.0, 0.0, 1, 0.01, null, 1.0),
                device("host", 0.2, 0.97, 30.24, 90, 128, 1.0, null, 1.0));

        assertThat(Fairness.split(followed, 32)).contains("1 pp from the scheduler");
        assertThat(Fairness.explain("aio", "sfq", followed, 0.96, 1.0, 32)).doesNotContain("pp from");
        assertThat(Fairness.explain("aio", "sfq", unknown, 0, 1.0, 32)).doesNotContain("pp from");
    }
}
