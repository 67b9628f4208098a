package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vblk.scheduler.SchedulerSim.Dispatch;
import org.junit.jupiter.api.Test;

/** mClock's tag rules, against schedules worked out by hand; the timed ones run a whole scheduler on a virtual clock. */
class MclockPolicyTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private static MclockPolicy mclock(int[] weights, int[] reservations, int[] limits, long anticipation) {
        return new MclockPolicy(weights, reservations, limits, anticipation, CostModel.REQUESTS);
    }

    private static String order(Policy p, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Ticket t = p.next(0, 0);
            out.append(t.flow);
            p.completed(t, 0);
        }
        return out.toString();
    }

    @Test
    void aFlowOverItsLimitWaitsEvenWhenTheDiskIsFree() {
        // limit 1000 IOPS: L spacing 1 ms. 16 processes, a disk of 4 x 100 us that could serve 40 000 IOPS.
        // First head at 10 ms: L = max(0 + 1 ms, 10 ms) = 10 ms; each next head is tagged at the last dispatch:
        // L = 11, 12, ... ms, and the scheduler's timer wakes it then.
        MclockPolicy p = mclock(new int[] {1}, new int[] {0}, new int[] {1000}, 0);
        SchedulerSim s = new SchedulerSim(p, 32, Scheduler.Idling.OFF, 4, 100 * US, new long[] {0}).run(10 * MS,
                110 * MS - 1, 16);

        assertThat(s.dispatches().subList(0, 4)).containsExactly(new Dispatch(0, 10 * MS), new Dispatch(0, 11 * MS),
                new Dispatch(0, 12 * MS), new Dispatch(0, 13 * MS));
        assertThat(s.count(0)).isEqualTo(100);
    }

    @Test
    void aReservationIsMetAgainstAHeavierFlow() {
        // flow 0: weight 1, reserved 2000 IOPS, 8 processes; flow 1: weight 100, 64 processes. The disk serves
        // 4 x 500 us = 8000 IOPS; by weight alone flow 0 would get 1/101 of it (79 IOPS)
        MclockPolicy p = mclock(new int[] {1, 100}, new int[] {2000, 0}, new int[] {0, 0}, 0);
        SchedulerSim s = new SchedulerSim(p, 4, Scheduler.Idling.OFF, 4, 500 * US, new long[] {0, 0}).run(10 * MS,
                1_010 * MS - 1, 8, 64);

        // one reservation-phase dispatch every 500 us, plus its weight share of the rest: 2000 + 60 / 101 or so
        assertThat(s.count(0)).isBetween(2000L, 2100L);
        assertThat(s.count(0) + s.count(1)).isEqualTo(8000);
    }

    @Test
    void withoutReservationsOrLimitsWeightsDecide() {
        Policy p = mclock(new int[] {80, 20}, new int[] {0, 0}, new int[] {0, 0}, 0);
        DispatchSim.Result r = new DispatchSim(p, 128, 128).servers(4).depth(32).run(10_000);

        assertThat(r.share(0)).isCloseTo(0.8, within(0.001));
    }

    @Test
    void aFlowThatReturnsFromIdleIsRebasedAndGetsNoBurst() {
        MclockPolicy p = mclock(new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, 0);
        p.enqueue(new DispatchSim.SimTicket(0, 4096), 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(order(p, 1)).isEqualTo("0");
            p.enqueue(new DispatchSim.SimTicket(0, 4096), 0);
        }
        for (int i = 0; i < 10; i++) {
            p.enqueue(new DispatchSim.SimTicket(1, 4096), 0);
            p.enqueue(new DispatchSim.SimTicket(0, 4096), 0);
        }

        // flow 0's head has P 1001; flow 1 starts at the last weight-phase P, 1000, not at 1: it goes first,
        // then they alternate (ties to flow 0), instead of flow 1 taking the next thousand
        assertThat(order(p, 10)).isEqualTo("1010101010");
    }

    @Test
    void withinTheAnticipationTimeoutAPausedFlowKeepsItsTags() {
        // flow 1 had one ticket served, then paused 0.5 ms while flow 0 took 20; with a 1 ms anticipation it
        // comes back at P 2 (not re-based to 20): it takes the next turns until it catches up to flow 0's 21
        for (long anticipation : new long[] {MS, 0}) {
            MclockPolicy p = mclock(new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, anticipation);
            p.enqueue(new DispatchSim.SimTicket(1, 4096), 0);
            p.next(0, 0);
            for (int i = 0; i < 20; i++) {
                p.enqueue(new DispatchSim.SimTicket(0, 4096), 0);
                p.next(0, 0);
            }
            for (int i = 0; i < 6; i++) {
                p.enqueue(new DispatchSim.SimTicket(0, 4096), 500 * US);
                p.enqueue(new DispatchSim.SimTicket(1, 4096), 500 * US);
            }
            assertThat(order(p, 6)).as("anticipation %d ns", anticipation)
                    .isEqualTo(anticipation > 0 ? "111111" : "101010");
        }
    }
}
