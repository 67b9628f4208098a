package io.vblk.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The water-filling against cases computed by hand; a disk of 4 slots x 500 us serves 8 000 IOPS. */
class FeasibleShareTest {
    private static final double S = 500e-6;

    private static FeasibleShare.Demand demand(String name, int weight, int concurrency) {
        return new FeasibleShare.Demand(name, weight, concurrency, S);
    }

    private static List<FeasibleShare.Allocation> fill(double slots, FeasibleShare.Demand... demands) {
        return FeasibleShare.allocate(List.of(demands), slots);
    }

    @Test
    void equalWeightsWithCapsThatDoNotBindSplitTheDiskEvenly() {
        List<FeasibleShare.Allocation> a = fill(4, demand("a", 100, 128), demand("b", 100, 128));

        assertThat(a).extracting(FeasibleShare.Allocation::rate).containsExactly(4000.0, 4000.0);
        assertThat(a).extracting(FeasibleShare.Allocation::share).containsExactly(0.5, 0.5);
        assertThat(a).extracting(FeasibleShare.Allocation::capped).containsOnly(false);
    }

    @Test
    void capsThatDoNotBindLeaveTheWeightShares() {
        // lambda = 4 / (100 x 500 us) = 80: 6 400 and 1 600 IOPS, both under 128 / 500 us = 256 000
        List<FeasibleShare.Allocation> a = fill(4, demand("sda11", 80, 128), demand("sda12", 20, 128));

        assertThat(a.get(0).rate()).isCloseTo(6400, within(1e-9));
        assertThat(a.get(1).rate()).isCloseTo(1600, within(1e-9));
        assertThat(a.get(0).share()).isCloseTo(0.8, within(1e-12));
        assertThat(a.get(0).cap()).isCloseTo(256_000, within(1e-6));
    }

    @Test
    void aCapThatBindsGivesTheRestToTheOthers() {
        // vm-vs-host: the vm's one request allows 2 000 IOPS (1 slot); the host takes the other 3 slots, 6 000
        List<FeasibleShare.Allocation> a = fill(4, demand("vm", 80, 1), demand("host", 20, 128));

        assertThat(a.get(0).rate()).isCloseTo(2000, within(1e-9));
        assertThat(a.get(0).capped()).isTrue();
        assertThat(a.get(1).rate()).isCloseTo(6000, within(1e-9));
        assertThat(a.get(1).capped()).isFalse();
        assertThat(a.get(0).share()).isCloseTo(0.25, within(1e-12));
        assertThat(a.get(1).share()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void capsThatAllBindLeaveTheDiskPartlyIdleAndTheSharesFollowTheCaps() {
        // the seed in sync mode: one request each, 2 000 + 2 000 IOPS of 8 000, so 50/50 whatever the weights
        List<FeasibleShare.Allocation> a = fill(4, demand("sda11", 80, 1), demand("sda12", 20, 1));

        assertThat(a).extracting(FeasibleShare.Allocation::capped).containsOnly(true);
        assertThat(a.get(0).rate() + a.get(1).rate()).isCloseTo(4000, within(1e-9));
        assertThat(a).extracting(FeasibleShare.Allocation::share).containsExactly(0.5, 0.5);
    }

    @Test
    void oneCapAmongEqualWeightsRaisesTheLevelOfTheOthers() {
        // lambda first 4 / (3 x 500 us) = 2 667 > a's 2 000; then 3 slots over b and c: 3 000 each
        List<FeasibleShare.Allocation> a = fill(4, demand("a", 1, 1), demand("b", 1, 64), demand("c", 1, 64));

        assertThat(a).extracting(FeasibleShare.Allocation::rate).containsExactly(2000.0, 3000.0, 3000.0);
        assertThat(a.get(0).share()).isCloseTo(0.25, within(1e-12));
        assertThat(a.get(1).share()).isCloseTo(0.375, within(1e-12));
    }

    @Test
    void anIdleDeviceGetsNothingAndTakesNothing() {
        List<FeasibleShare.Allocation> a = fill(4, demand("a", 50, 64), demand("b", 30, 64), demand("idle", 20, 0));

        assertThat(a.get(2).rate()).isZero();
        assertThat(a.get(2).share()).isZero();
        assertThat(a.get(0).share()).isCloseTo(50.0 / 80, within(1e-12));
        assertThat(a.get(1).share()).isCloseTo(30.0 / 80, within(1e-12));
        assertThat(a.get(0).rate() + a.get(1).rate()).isCloseTo(8000, within(1e-9));
    }

    @Test
    void weightsShareRequestsWhileEachRequestCostsItsOwnServiceTime() {
        // one slot; a's requests take 1 ms, b's 500 us: lambda x (1 ms + 500 us) = 1 s, 667 requests each
        List<FeasibleShare.Allocation> a = FeasibleShare.allocate(List.of(new FeasibleShare.Demand("a", 1, 8, 1e-3),
                new FeasibleShare.Demand("b", 1, 8, 500e-6)), 1);

        assertThat(a.get(0).rate()).isCloseTo(1000 / 1.5, within(1e-9));
        assertThat(a.get(1).rate()).isCloseTo(1000 / 1.5, within(1e-9));
        assertThat(a.get(0).share()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theModelStatesItsMethodAndCapacity() {
        FeasibleShare.Model m = FeasibleShare.model("disk 4 x 500us", List.of(demand("vm", 80, 1), demand("host", 20, 128)), 4);

        assertThat(m.capacityIops()).isCloseTo(8000, within(1e-9));
        assertThat(m.method()).isEqualTo("disk 4 x 500us = 8000 IOPS; in service at most vm 1 (2000 IOPS) host 128 "
                + "(256000 IOPS)");
        assertThat(m.device("vm").share()).isCloseTo(0.25, within(1e-12));
        assertThat(m.device("nobody")).isNull();
    }

    @Test
    void aDemandWithoutServiceTimeOrWeightIsRefused() {
        assertThatThrownBy(() -> new FeasibleShare.Demand("a", 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeasibleShare.Demand("a", 0, 1, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fill(0, demand("a", 1, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
