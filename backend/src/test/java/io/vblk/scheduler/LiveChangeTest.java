package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live changes on the virtual clock: a replaced policy still decides the turns of the tickets it queued, before
 * any of the new one's; the new weights decide from there; a grown depth dispatches at once.
 */
class LiveChangeTest {
    private static final class T extends Ticket {
        final int id;

        T(int flow, int id) {
            super(flow, 4096);
            this.id = id;
        }

        @Override
        public String toString() {
            return flow + "#" + id;
        }
    }

    private long now;
    private final List<T> dispatched = new ArrayList<>();

    private Scheduler scheduler(Policy p, int depth) {
        return new Scheduler(p, 2, depth, () -> now, t -> dispatched.add((T) t));
    }

    private static Policy sfq(int... weights) {
        return new SfqPolicy(weights, CostModel.REQUESTS);
    }

    @Test
    void ticketsQueuedBeforeAChangeLeaveFirstAndTheNewWeightsDecideAfter() {
        Scheduler s = scheduler(sfq(80, 20), 1);
        for (int i = 0; i < 10; i++) {
            s.offer(new T(0, i), () -> {});
            s.offer(new T(1, 100 + i), () -> {});
        }
        s.replacePolicy(sfq(20, 80));
        for (int i = 10; i < 20; i++) {
            s.offer(new T(0, i), () -> {});
            s.offer(new T(1, 100 + i), () -> {});
        }
        // depth 1: each completion dispatches the next
        for (int k = 0; k < 39; k++) {
            s.complete(dispatched.get(k));
        }

        assertThat(dispatched).hasSize(40);
        assertThat(dispatched.subList(0, 20)).as("the 20 queued before the change").allMatch(t -> t.id % 100 < 10);
        // the old policy's order among them: 80/20 SFQ, flow 0 four times as often while both wait (start tags
        // 1/80 apart for flow 0, 1/20 for flow 1, ties to the lower flow): 0 1 0 0 0 0 1 0 0 0 0 1 ...
        assertThat(dispatched.subList(0, 6)).extracting(t -> t.flow).containsExactly(0, 1, 0, 0, 0, 0);
        // the new policy starts its tags afresh at 20/80: flow 0 at 0 and 1/20, flow 1 every 1/80; ties to flow 0
        assertThat(dispatched.subList(20, 30)).extracting(t -> t.flow).containsExactly(0, 1, 1, 1, 1, 0, 1, 1, 1, 1);
    }

    @Test
    void aGrownDepthDispatchesAtOnceAndAShrunkOneWaitsForCompletions() {
        Scheduler s = scheduler(sfq(50, 50), 1);
        for (int i = 0; i < 6; i++) {
            s.offer(new T(i % 2, i), () -> {});
        }
        assertThat(dispatched).hasSize(1);

        s.depth(3);
        assertThat(dispatched).hasSize(3);
        assertThat(s.dispatchedNow()).isEqualTo(3);

        s.depth(1);
        s.complete(dispatched.get(0));
        s.complete(dispatched.get(1));
        assertThat(dispatched).as("two of three in service: still over the new depth of 1").hasSize(3);
        s.complete(dispatched.get(2));
        assertThat(dispatched).hasSize(4);
        assertThatThrownBy(() -> s.depth(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLimitTheNewPolicyLacksNoLongerHoldsTicketsBack() {
        // mclock limited to 1 IOPS: after the first dispatch the flow's next is due only a second later
        now = 10_000_000_000L;
        Scheduler s = new Scheduler(new MclockPolicy(new int[] {1, 1}, new int[2], new int[] {1, 1}, 0, CostModel.REQUESTS),
                2, 4, () -> now, t -> dispatched.add((T) t), Scheduler.Idling.OFF, (at, task) -> {});
        s.offer(new T(0, 0), () -> {});
        s.offer(new T(0, 1), () -> {});
        assertThat(dispatched).hasSize(1);

        // the queued ticket keeps its policy, which holds it until its limit tag falls due
        s.replacePolicy(sfq(1, 1));
        s.offer(new T(0, 2), () -> {});
        assertThat(dispatched).extracting(t -> t.id).containsExactly(0, 2);
        now += 1_000_000_000L;
        s.complete(dispatched.get(0));
        assertThat(dispatched).extracting(t -> t.id).containsExactly(0, 2, 1);
    }
}
