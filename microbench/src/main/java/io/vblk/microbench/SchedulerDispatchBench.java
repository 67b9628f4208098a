package io.vblk.microbench;

import io.vblk.config.SchedulerConfig;
import io.vblk.scheduler.Policies;
import io.vblk.scheduler.Policy;
import io.vblk.scheduler.Ticket;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one scheduling decision: next + completed + enqueue of the same ticket, on a policy whose flows are
 * all backlogged ({@link #QUEUED} tickets each, weights 100..400), so every call sees {@code flows} contenders.
 * mclock's flows are each reserved 100 IOPS (the clock stands still, so no reservation falls due: every
 * dispatch is a weight-phase one that also keeps the reservation heap).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerDispatchBench {
    /** Tickets kept queued per flow; below the default io-limit. */
    static final int QUEUED = 4;

    @Param({"2", "64", "1024"})
    public int flows;

    @Param({"fifo", "ioband", "sfq", "mclock"})
    public String policy;

    private Policy p;

    static final class BenchTicket extends Ticket {
        BenchTicket(int flow, long bytes) {
            super(flow, bytes);
        }
    }

    /** Weights 100, 200, 300, 400, 100, ... */
    static int[] weights(int flows) {
        int[] weights = new int[flows];
        for (int f = 0; f < flows; f++) {
            weights[f] = 100 * (1 + f % 4);
        }
        return weights;
    }

    static SchedulerConfig.Policy kind(String policy) {
        return SchedulerConfig.Policy.valueOf(policy.toUpperCase(Locale.ROOT));
    }

    @Setup
    public void setup() {
        int[] reservations = new int[flows];
        java.util.Arrays.fill(reservations, 100);
        p = Policies.create(new SchedulerConfig(kind(policy), null, null, null, null), weights(flows), reservations,
                new int[flows]);
        for (int i = 0; i < QUEUED; i++) {
            for (int f = 0; f < flows; f++) {
                p.enqueue(new BenchTicket(f, 4096), 0);
            }
        }
    }

    @Benchmark
    public Ticket dispatchCycle() {
        Ticket t = p.next(0, 0);
        p.completed(t, 0);
        p.enqueue(t, 0);
        return t;
    }
}
