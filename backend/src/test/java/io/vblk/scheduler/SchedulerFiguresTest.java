package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.config.SchedulerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures that say whether the weights could act, on a virtual clock with hand-computed intervals: time
 * each flow was backlogged, time every member flow was at once, which decisions were taken then, and lag.
 */
class SchedulerFiguresTest {
    private final long[] now = {0};
    // what the dispatcher was handed, in order; nothing completes unless the test says so
    private final List<Ticket> dispatched = new ArrayList<>();

    private static final class T extends Ticket {
        // what the disk model would have said: see Ticket#slotFreeSince
        long slotFreeSince;

        T(int flow) {
            super(flow, 4096);
        }

        @Override
        protected long slotFreeSince() {
            return slotFreeSince;
        }
    }

    private Scheduler scheduler(int flows, int depth) {
        int[] weights = new int[flows];
        java.util.Arrays.fill(weights, 100);
        return new Scheduler(Policies.create(new SchedulerConfig(SchedulerConfig.Policy.FIFO, depth, null, null,
                null), weights), flows, depth, () -> now[0], dispatched::add);
    }

    private T offer(Scheduler s, int flow) {
        T t = new T(flow);
        assertThat(s.offer(t, () -> {})).isTrue();
        return t;
    }

    @Test
    void aFlowIsBackloggedWhileOneOfItsRequestsWaitsAndNotWhileItIsDispatched() {
        Scheduler s = scheduler(2, 1);
        s.join(0);
        T first = offer(s, 0);      // t=0: dispatched at once, nothing waits
        now[0] = 10;
        offer(s, 0);                // t=10: waits behind the full depth
        now[0] = 35;
        s.complete(first);          // t=35: the waiting one is dispatched
        now[0] = 50;

        Scheduler.Snapshot snap = s.snapshot();
        assertThat(snap.flows().get(0).backloggedNanos()).isEqualTo(25);
        assertThat(snap.flows().get(0).dispatched()).isEqualTo(2);
        assertThat(snap.flows().get(1).backloggedNanos()).isZero();
        assertThat(snap.nanos()).isEqualTo(50);
    }

    @Test
    void allBackloggedIsTheOverlapOfTheMembersBacklogsAndItsDecisionsAreCountedApart() {
        Scheduler s = scheduler(3, 1);
        s.join(0);
        s.join(1);                  // flow 2 has no queue attached: it never counts
        T busy = offer(s, 2);       // t=0: takes the only slot
        offer(s, 0);                // flow 0 waits from t=0
        now[0] = 5;
        offer(s, 1);                // flow 1 waits from t=5: all members backlogged
        offer(s, 1);
        now[0] = 12;
        s.complete(busy);           // fifo dispatches flow 0's: flow 0 empties, the overlap ends at t=12
        assertThat(dispatched.get(1).flow).isZero();
        now[0] = 20;
        s.complete(dispatched.get(1)); // flow 1 dispatched while flow 0 was empty: not an all-backlogged decision
        now[0] = 30;

        Scheduler.Snapshot snap = s.snapshot();
        assertThat(snap.allBackloggedNanos()).isEqualTo(7);
        assertThat(snap.flows().get(0).dispatchedAllBacklogged()).isEqualTo(1);
        assertThat(snap.flows().get(1).dispatchedAllBacklogged()).isZero();
        assertThat(snap.flows().get(1).dispatched()).isEqualTo(1);
        assertThat(snap.flows().get(1).backloggedNanos()).isEqualTo(25);
        assertThat(snap.flows().get(2).dispatchedAllBacklogged()).isZero();
    }

    @Test
    void aFlowWhoseLastQueueLeftNoLongerHoldsTheOthersOutOfAllBacklogged() {
        Scheduler s = scheduler(2, 1);
        s.join(0);
        s.join(1);
        s.join(1);
        T busy = offer(s, 0);
        offer(s, 0);                // t=0: flow 0 waits, flow 1 does not: not all
        now[0] = 4;
        s.leave(1);                 // one of flow 1's two queues: still a member
        now[0] = 6;
        s.leave(1);                 // t=6: flow 0 is now every member, and backlogged
        now[0] = 9;
        s.complete(busy);           // t=9: its waiting request goes

        assertThat(s.snapshot().allBackloggedNanos()).isEqualTo(3);
        assertThat(s.snapshot().flows().get(0).dispatchedAllBacklogged()).isEqualTo(1);
    }

    @Test
    void aLateCompletionWithRequestsWaitingIsLagFromTheSlotsFreeInstant() {
        Scheduler s = scheduler(1, 1);
        s.join(0);
        T first = offer(s, 0);
        T second = offer(s, 0);
        offer(s, 0);
        first.slotFreeSince = 100;  // the disk model freed its slot at t=100, the completion arrives at t=130
        now[0] = 130;
        s.complete(first);
        second.slotFreeSince = 120; // overlaps what was counted already: only 130..150 is new
        now[0] = 150;
        s.complete(second);

        assertThat(s.snapshot().lagNanos()).isEqualTo(30 + 20);
    }

    @Test
    void aLateCompletionIsNoLagWhenNothingWaitedOrAnotherRequestTookTheSlot() {
        Scheduler s = scheduler(1, 2);
        T a = offer(s, 0);
        T b = offer(s, 0);
        a.slotFreeSince = 0;        // 0: the disk had a request queued for that slot
        now[0] = 40;
        s.complete(a);              // below depth after this, and nothing waits
        b.slotFreeSince = 10;
        now[0] = 60;
        s.complete(b);

        assertThat(s.snapshot().lagNanos()).isZero();
    }
}
