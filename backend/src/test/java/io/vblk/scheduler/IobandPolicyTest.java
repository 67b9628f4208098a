package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IobandPolicyTest {
    private static final CostModel REQUESTS = CostModel.REQUESTS;

    private static Ticket ticket(int flow, long bytes) {
        return new DispatchSim.SimTicket(flow, bytes);
    }

    /** Dispatches one ticket and completes it at once; returns its flow. */
    private static int serveOne(Policy p) {
        Ticket t = p.next(0, 0);
        p.completed(t, 0);
        return t.flow;
    }

    /** Serves one ticket, and its flow submits another at once (a closed loop); returns the flow. */
    private static int cycle(Policy p) {
        int flow = serveOne(p);
        p.enqueue(ticket(flow, 4096), 0);
        return flow;
    }

    @Test
    void tokenBaseIsTwiceIoLimitOrEnoughForEightRequestsOfTheLightestGroup() {
        assertThat(IobandPolicy.initialTokens(new int[] {80, 20}, 128, REQUESTS)).containsExactly(205, 51);
        assertThat(IobandPolicy.initialTokens(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 128, REQUESTS))
                .containsExactly(8, 16, 24, 32, 40, 48, 56, 64, 72, 80);
        assertThat(IobandPolicy.initialTokens(new int[] {1, 1}, 128, CostModel.BYTES))
                .containsExactly(1024, 1024);
    }

    @Test
    void servesTheGroupWithTheLargestFractionOfTokensLeft() {
        // initial tokens 192 and 64 (base 256): per epoch three of flow 0 for each of flow 1
        IobandPolicy p = new IobandPolicy(new int[] {3, 1}, 4, 128, REQUESTS);
        for (int i = 0; i < 100; i++) {
            p.enqueue(ticket(0, 4096), 0);
            p.enqueue(ticket(1, 4096), 0);
        }
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(serveOne(p));
        }
        // fractions left: 1 vs 1 -> flow 0; 191/192 vs 1 -> flow 1; 191/192 vs 63/64 -> flow 0; ...
        assertThat(order).hasToString("01000100");
    }

    @Test
    void unspentTokensCarryOverOneEpochAtMost() {
        IobandPolicy p = new IobandPolicy(new int[] {1, 1}, 4, 128, REQUESTS); // 128 tokens each per epoch
        p.enqueue(ticket(1, 4096), 0);
        for (int i = 0; i < 10 * 128; i++) {
            assertThat(cycle(p)).isEqualTo(1); // flow 1 alone runs ten epochs
        }
        for (int i = 0; i < 8; i++) {
            p.enqueue(ticket(0, 4096), 0);
        }

        int flow0 = 0;
        for (int i = 0; i < 4 * 128; i++) {
            flow0 += 1 - cycle(p);
        }
        // two epochs' tokens (one carried over, nine lost), then one more epoch shared evenly
        assertThat(flow0).isEqualTo(2 * 128 + 128);
    }

    @Test
    void overspentTokensAreCarriedAsDebt() {
        IobandPolicy p = new IobandPolicy(new int[] {1, 1}, 4, 128, CostModel.BYTES); // 1024 sectors
        p.enqueue(ticket(0, 1 << 20), 0); // 2048 sectors: flow 0 ends 1024 in debt
        assertThat(serveOne(p)).isZero();
        p.enqueue(ticket(0, 4096), 0);
        p.enqueue(ticket(1, 4096), 0);

        int run = 0;
        while (cycle(p) == 1) {
            run++;
        }
        // 4 KiB = 8 sectors: flow 1's own epoch, then the epoch that only paid off flow 0's debt
        assertThat(run).isEqualTo(2 * 1024 / 8);
    }

    @Test
    void holdsBackWhileAnotherTokenHolderHasIoInFlightAndThrottleIsReached() {
        IobandPolicy p = new IobandPolicy(new int[] {1, 1}, 2, 128, REQUESTS); // 128 tokens each
        for (int i = 0; i < 128; i++) {
            p.enqueue(ticket(1, 4096), 0);
            serveOne(p);
        }
        p.enqueue(ticket(0, 4096), 0);
        Ticket heavy = p.next(0, 0); // flow 0 now has one in flight and 127 tokens
        p.enqueue(ticket(1, 4096), 0);

        assertThat(p.next(0, 2)).as("held back: two in flight").isNull();
        assertThat(p.next(0, 1)).as("below io-throttle: new epoch").isNotNull();
        assertThat(heavy.flow).isZero();
    }

    @Test
    void ioLimitBoundsQueuedTicketsPerGroup() {
        IobandPolicy p = new IobandPolicy(new int[] {1, 1}, 4, 3, REQUESTS);
        for (int i = 0; i < 3; i++) {
            assertThat(p.admits(0)).isTrue();
            p.enqueue(ticket(0, 4096), 0);
        }

        assertThat(p.admits(0)).isFalse();
        assertThat(p.admits(1)).isTrue();
        p.next(0, 0);
        assertThat(p.admits(0)).isTrue();
    }
}
