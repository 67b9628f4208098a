package io.vblk.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The log's backlog figures from hand-made I..D intervals, computed by hand. */
class BacklogSweepTest {
    @Test
    void backloggedTimeIsTheUnionOfEachDevicesWaitsAndAllBackloggedTheirOverlap() {
        BacklogSweep s = new BacklogSweep();
        s.add("a", 0, 10);      // a waits 0..10 and 5..20: backlogged 0..20
        s.add("a", 5, 20);
        s.add("b", 8, 12);      // b waits 8..12 and 30..40
        s.add("b", 30, 40);

        BacklogSweep.Result r = s.result();

        assertThat(r.devices().get("a").backloggedNanos()).isEqualTo(20);
        assertThat(r.devices().get("b").backloggedNanos()).isEqualTo(14);
        assertThat(r.allBackloggedNanos()).isEqualTo(4);
        // decided while both waited: a's at 10, b's at 12; a's at 20 and b's at 40 had the other empty
        assertThat(r.devices().get("a").dispatchedAllBacklogged()).isEqualTo(1);
        assertThat(r.devices().get("b").dispatchedAllBacklogged()).isEqualTo(1);
        assertThat(r.devices().get("a").dispatched()).isEqualTo(2);
    }

    @Test
    void theDecisionsWhileAllWaitedAreCountedPerWindowOfTheirDispatch() {
        BacklogSweep s = new BacklogSweep();
        // a waits 0..100 throughout; b's requests wait 10..20, 30..40 and 60..70; a's own at 100 has b empty
        s.add("a", 0, 100);
        s.add("b", 10, 20);
        s.add("b", 30, 40);
        s.add("b", 60, 70);
        s.add("a", 15, 35);

        var windows = s.decidedAllBacklogged(java.util.List.of(new long[] {0, 50}, new long[] {50, Long.MAX_VALUE}));

        // 0..50: b at 20 and 40, a at 35 (both waiting at each); from 50: b at 70; a at 100 had b empty
        assertThat(windows.get(0)).containsEntry("a", 1L).containsEntry("b", 2L);
        assertThat(windows.get(1)).containsEntry("a", 0L).containsEntry("b", 1L);
    }

    @Test
    void aRequestDecidedTheInstantItArrivedWasWaitingAtItsOwnDecision() {
        BacklogSweep s = new BacklogSweep();
        s.add("a", 0, 100);
        s.add("b", 50, 50);     // arrives and is dispatched at once, while a waits

        BacklogSweep.Result r = s.result();

        assertThat(r.devices().get("b").dispatchedAllBacklogged()).isEqualTo(1);
        assertThat(r.devices().get("b").backloggedNanos()).isZero();
        assertThat(r.allBackloggedNanos()).isZero();
    }

    @Test
    void stampsInAnyOrderGiveTheSameFigures() {
        BacklogSweep s = new BacklogSweep();
        s.add("b", 30, 40);
        s.add("a", 5, 20);
        s.add("b", 8, 12);
        s.add("a", 0, 10);

        assertThat(s.result().allBackloggedNanos()).isEqualTo(4);
        assertThat(s.result().devices().get("a").backloggedNanos()).isEqualTo(20);
    }
}
