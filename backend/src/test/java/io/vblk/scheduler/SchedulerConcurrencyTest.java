package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.config.SchedulerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Several threads offering, dispatching and completing at once, as the backend's event loops do. */
class SchedulerConcurrencyTest {
    private static final class Numbered extends Ticket {
        final int id;

        Numbered(int flow, int id) {
            super(flow, 4096);
            this.id = id;
        }
    }

    // the dispatcher needs the scheduler it is given to: it completes tickets through it
    private static final class Dispatch implements Scheduler.Dispatcher {
        Scheduler.Dispatcher to;

        @Override
        public void dispatch(Ticket t) {
            to.dispatch(t);
        }
    }

    private static Scheduler scheduler(SchedulerConfig.Policy policy, int flows, int depth, Dispatch d) {
        // io-limit above every test's backlog: ioband admits everything, so that offers never wait for room
        return scheduler(new SchedulerConfig(policy, depth, null, 1 << 20, null), flows, d);
    }

    private static Scheduler scheduler(SchedulerConfig config, int flows, Dispatch d) {
        int[] weights = new int[flows];
        for (int f = 0; f < flows; f++) {
            weights[f] = 100 * (f + 1);
        }
        return new Scheduler(Policies.create(config, weights), flows, config.depth().max(), System::nanoTime, d);
    }

    @ParameterizedTest
    @EnumSource(SchedulerConfig.Policy.class)
    void everyTicketIsDispatchedOnceAndNeverMoreThanDepthAtATime(SchedulerConfig.Policy policy) throws Exception {
        Dispatch d = new Dispatch();
        concurrentRun(scheduler(policy, 8, 4, d), d, 4);
    }

    /**
     * ioband holding devices back (io-throttle 2 below depth 4) and refusing offers (io-limit 3 per device):
     * the offering threads wait for room as sync mode's workers do, and still every ticket gets through.
     */
    @Test
    void iobandHoldsAndRoomWaitersLoseNothingWithSeveralDrainers() throws Exception {
        Dispatch d = new Dispatch();
        concurrentRun(scheduler(new SchedulerConfig(SchedulerConfig.Policy.IOBAND, 4, 2, 3, null), 8, d), d, 4);
    }

    private static void concurrentRun(Scheduler s, Dispatch d, int depth) throws Exception {
        int threads = 4;
        int perThread = 5_000;
        AtomicIntegerArray dispatched = new AtomicIntegerArray(threads * perThread);
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // half complete inline on the dispatching thread (a RAM store), half later on a store thread (a file)
        LinkedBlockingQueue<Ticket> later = new LinkedBlockingQueue<>();
        d.to = t -> {
            Numbered n = (Numbered) t;
            dispatched.incrementAndGet(n.id);
            most.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            if (n.id % 2 == 0) {
                outstanding.decrementAndGet();
                s.complete(t);
            } else {
                later.add(t);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            Future<?> store = pool.submit(() -> {
                for (int done = 0; done < threads * perThread / 2; done++) {
                    Ticket t = later.poll(30, TimeUnit.SECONDS);
                    assertThat(t).as("a ticket dispatched to the store thread").isNotNull();
                    outstanding.decrementAndGet();
                    s.complete(t);
                }
                return null;
            });
            List<Future<?>> offers = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                int base = k * perThread;
                offers.add(pool.submit(() -> {
                    Semaphore room = new Semaphore(0);
                    for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        Numbered t = new Numbered(id % 8, id);
                        while (!s.offer(t, room::release)) {
                            assertThat(room.tryAcquire(30, TimeUnit.SECONDS)).as("room for ticket %d", id).isTrue();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : offers) {
                f.get(60, TimeUnit.SECONDS);
            }
            store.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (int id = 0; id < dispatched.length(); id++) {
            assertThat(dispatched.get(id)).as("dispatches of ticket %d", id).isEqualTo(1);
        }
        assertThat(most.get()).isLessThanOrEqualTo(depth);
        assertThat(s.dispatchedNow()).isZero();
        for (int f = 0; f < 8; f++) {
            assertThat(s.snapshot().flows().get(f).inScheduler()).isZero();
            assertThat(s.snapshot().flows().get(f).waiting()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SchedulerConfig.Policy.class)
    void inlineCompletionsDispatchTheBacklogWithoutRecursion(SchedulerConfig.Policy policy) {
        List<Integer> stackDepths = new ArrayList<>();
        backlogBehindOne(policy, 1000, (s, t) -> {
            stackDepths.add(Thread.currentThread().getStackTrace().length);
            s.complete(t);
        });
        assertThat(stackDepths.stream().distinct()).as("stack depth of each inline dispatch").hasSize(1);
    }

    /**
     * A store thread completes the ticket while the dispatching thread is still inside its dispatch (it waits
     * for that thread): the completion finds the ticket in dispatch and leaves the next decision to the drain
     * loop, which must still take it, so that every waiting ticket goes.
     */
    @ParameterizedTest
    @EnumSource(SchedulerConfig.Policy.class)
    void aCompletionFromAnotherThreadDuringItsOwnDispatchLosesNoDecision(SchedulerConfig.Policy policy) {
        backlogBehindOne(policy, 50, (s, t) -> {
            Thread store = new Thread(() -> s.complete(t));
            store.start();
            try {
                store.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * Depth 1, and the first ticket dispatched is held, so that the next {@code n} wait; then it completes,
     * and every later ticket is handed to {@code completion} inside its dispatch: all {@code n} must go.
     */
    private static void backlogBehindOne(SchedulerConfig.Policy policy, int n, BiConsumer<Scheduler, Ticket> completion) {
        Dispatch d = new Dispatch();
        Scheduler s = scheduler(policy, 2, 1, d);
        List<Ticket> dispatched = new ArrayList<>();
        d.to = t -> {
            dispatched.add(t);
            if (dispatched.size() > 1) {
                completion.accept(s, t);
            }
        };
        for (int i = 0; i <= n; i++) {
            s.offer(new Numbered(i % 2, i), () -> { });
        }
        assertThat(dispatched).hasSize(1);
        s.complete(dispatched.get(0));

        assertThat(dispatched).hasSize(n + 1);
        assertThat(s.dispatchedNow()).isZero();
    }
}
