package io.vblk.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vblk.config.SchedulerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
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

    private static Scheduler scheduler(SchedulerConfig.Policy policy, int flows, int depth) {
        int[] weights = new int[flows];
        for (int f = 0; f < flows; f++) {
            weights[f] = 100 * (f + 1);
        }
        // io-limit above every test's backlog: ioband admits everything, so that offers never wait for room
        return new Scheduler(Policies.create(new SchedulerConfig(policy, depth, null, 1 << 20, null), weights), flows,
                depth, System::nanoTime);
    }

    @ParameterizedTest
    @EnumSource(SchedulerConfig.Policy.class)
    void everyTicketIsDispatchedOnceAndNeverMoreThanDepthAtATime(SchedulerConfig.Policy policy) throws Exception {
        int threads = 4;
        int perThread = 5_000;
        int depth = 4;
        Scheduler s = scheduler(policy, 8, depth);
        AtomicIntegerArray dispatched = new AtomicIntegerArray(threads * perThread);
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        // half complete inline on the dispatching thread (a RAM store), half later on a store thread (a file)
        LinkedBlockingQueue<Ticket> later = new LinkedBlockingQueue<>();
        s.dispatcher(t -> {
            Numbered n = (Numbered) t;
            dispatched.incrementAndGet(n.id);
            most.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            if (n.id % 2 == 0) {
                outstanding.decrementAndGet();
                s.completeInline(t);
            } else {
                later.add(t);
            }
        });
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
                    for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        assertThat(s.offer(new Numbered(id % 8, id), () -> { })).isTrue();
                    }
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
        assertThat(s.inFlight()).isZero();
        for (int f = 0; f < 8; f++) {
            assertThat(s.snapshot(f).inPipeline()).isZero();
            assertThat(s.snapshot(f).waiting()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SchedulerConfig.Policy.class)
    void inlineCompletionsDispatchTheBacklogWithoutRecursion(SchedulerConfig.Policy policy) {
        Scheduler s = scheduler(policy, 2, 1);
        List<Integer> stackDepths = new ArrayList<>();
        Ticket[] held = new Ticket[1];
        s.dispatcher(t -> {
            if (held[0] == null && stackDepths.isEmpty()) {
                held[0] = t;
                return;
            }
            stackDepths.add(Thread.currentThread().getStackTrace().length);
            s.completeInline(t);
        });
        // the first ticket holds the only slot, so the next thousand wait
        for (int i = 0; i <= 1000; i++) {
            s.offer(new Numbered(i % 2, i), () -> { });
        }
        assertThat(stackDepths).isEmpty();
        stackDepths.add(0);
        s.complete(held[0]);

        List<Integer> depths = stackDepths.subList(1, stackDepths.size());
        assertThat(depths).hasSize(1000);
        assertThat(depths.stream().distinct()).as("stack depth of each inline dispatch").hasSize(1);
        assertThat(s.inFlight()).isZero();
    }
}
