package io.vblk.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VirtqueueTest {
    @Test
    void handsOutEachIdOnceWhileInFlight() {
        Virtqueue q = new Virtqueue(4);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            q.acquire(got::add);
        }
        assertThat(got).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(q.inFlight()).isEqualTo(4);
    }

    @Test
    void waitsWhenFullAndServesWaitersFirstComeFirstServed() {
        Virtqueue q = new Virtqueue(2);
        List<String> events = new ArrayList<>();
        q.acquire(d -> events.add("a" + d));
        q.acquire(d -> events.add("b" + d));
        q.acquire(d -> events.add("c" + d));
        q.acquire(d -> events.add("d" + d));
        assertThat(events).containsExactly("a0", "b1");
        assertThat(q.waiting()).isEqualTo(2);

        q.release(1);
        assertThat(events).containsExactly("a0", "b1", "c1");
        q.release(0);
        assertThat(events).containsExactly("a0", "b1", "c1", "d0");
        assertThat(q.waiting()).isZero();
        assertThat(q.inFlight()).isEqualTo(2);
    }

    @Test
    void aNewcomerDoesNotOvertakeWaiters() {
        Virtqueue q = new Virtqueue(1);
        List<String> events = new ArrayList<>();
        q.acquire(d -> events.add("a"));
        q.acquire(d -> events.add("b"));
        q.release(0);
        q.acquire(d -> events.add("c"));
        assertThat(events).containsExactly("a", "b");
        assertThat(q.waiting()).isEqualTo(1);
    }

    @Test
    void releasingAnIdNotInFlightIsRefused() {
        Virtqueue q = new Virtqueue(2);
        q.acquire(d -> { });
        assertThatThrownBy(() -> q.release(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.release(7)).isInstanceOf(IllegalStateException.class);
        q.release(0);
        assertThatThrownBy(() -> q.release(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void droppedWaitersAreNeverGranted() {
        Virtqueue q = new Virtqueue(1);
        List<Integer> late = new ArrayList<>();
        q.acquire(d -> { });
        q.acquire(late::add);
        q.dropWaiters();
        q.release(0);
        assertThat(late).isEmpty();
        assertThat(q.inFlight()).isZero();
    }

    @Test
    void randomAcquireAndReleaseNeverDuplicateAnInFlightId() {
        SplittableRandom rng = new SplittableRandom(42);
        Virtqueue q = new Virtqueue(8);
        Set<Integer> inFlight = new HashSet<>();
        int granted = 0;
        for (int step = 0; step < 20_000; step++) {
            if (inFlight.isEmpty() || rng.nextInt(100) < 55) {
                q.acquire(d -> assertThat(inFlight.add(d)).as("id %d handed out twice", d).isTrue());
            } else {
                List<Integer> ids = new ArrayList<>(inFlight);
                int id = ids.get(rng.nextInt(ids.size()));
                inFlight.remove(id);
                q.release(id);
            }
            assertThat(q.inFlight()).isEqualTo(inFlight.size());
            if (q.waiting() > 0) {
                // nobody waits while an id is free
                assertThat(inFlight).hasSize(8);
                granted++;
            }
        }
        assertThat(granted).as("the queue was full with waiters at some point").isPositive();
    }
}
