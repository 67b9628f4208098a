package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SfqPolicyTest {
    private static Ticket ticket(int flow, long bytes) {
        return new DispatchSim.SimTicket(flow, bytes);
    }

    @Test
    void tagsFollowStartAndFinishRules() {
        SfqPolicy p = new SfqPolicy(new int[] {2, 4}, CostModel.BYTES);
        Ticket a1 = ticket(0, 4096);
        Ticket a2 = ticket(0, 100); // under one sector still costs 1
        Ticket b1 = ticket(1, 8192);
        p.enqueue(a1, 0);
        p.enqueue(a2, 0);
        p.enqueue(b1, 0);

        assertThat(p.headStart(0)).as("a1's start").isEqualTo(0.0);
        assertThat(p.lastFinish(0)).as("a2's finish").isEqualTo(4.5); // a1 finishes at 8 sectors / weight 2 = 4
        assertThat(p.headStart(1)).as("b1's start").isEqualTo(0.0);
        assertThat(p.lastFinish(1)).as("b1's finish").isEqualTo(4.0); // 16 sectors / weight 4
        assertThat(p.next(0, 0)).isSameAs(a1); // equal start tags: lower flow index first
        assertThat(p.headStart(0)).as("a2's start, a1's finish").isEqualTo(4.0);
        assertThat(p.next(0, 1)).isSameAs(b1);
        assertThat(p.next(0, 2)).isSameAs(a2);
        assertThat(p.next(0, 3)).isNull();
    }

    @Test
    void aFlowThatWasIdleStartsAtVirtualTimeAndGetsNoBurst() {
        SfqPolicy p = new SfqPolicy(new int[] {1, 1}, CostModel.REQUESTS);
        for (int i = 0; i < 1000; i++) {
            p.enqueue(ticket(0, 4096), 0);
        }
        for (int i = 0; i < 500; i++) {
            assertThat(p.next(0, 0).flow).isZero();
        }
        p.enqueue(ticket(1, 4096), 0);
        assertThat(p.headStart(1)).as("the late flow's first start").isEqualTo(499.0);
        for (int i = 0; i < 99; i++) {
            p.enqueue(ticket(1, 4096), 0);
        }

        int flow1 = 0;
        for (int i = 0; i < 100; i++) {
            flow1 += p.next(0, 0).flow;
        }
        assertThat(flow1).isBetween(49, 51);
        assertThat(p.queued(0)).isEqualTo(500 - (100 - flow1));
        assertThat(p.queued(1)).isEqualTo(100 - flow1);
    }
}
