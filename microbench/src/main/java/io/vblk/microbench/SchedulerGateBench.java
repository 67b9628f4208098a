package io.vblk.microbench;

import io.vblk.config.SchedulerConfig;
import io.vblk.scheduler.Policies;
import io.vblk.scheduler.Scheduler;
import io.vblk.scheduler.Ticket;
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
 * One decision through the whole {@link Scheduler}, lock and time integrals included, as a request meets it:
 * the ticket in service completes, the policy's next one is dispatched, and the completed one is offered
 * again. Depth 1 keeps every flow backlogged ({@link SchedulerDispatchBench#QUEUED} tickets each), so each
 * decision sees {@code flows} contenders. Single-threaded: the uncontended cost. {@code depth} {@code auto} adds
 * latency-driven depth with a target of 1 s on every flow (windows of 1 s that always meet it, each flow's depth
 * at 64, above its tickets): the cost of its accounting per completion, not of a changing depth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerGateBench {
    @Param({"2", "64", "1024"})
    public int flows;

    @Param({"fifo", "ioband", "sfq"})
    public String policy;

    @Param({"fixed", "auto"})
    public String depth;

    private Scheduler scheduler;
    // the one ticket dispatched and not completed
    private Ticket inService;

    @Setup
    public void setup() {
        SchedulerConfig config = new SchedulerConfig(SchedulerDispatchBench.kind(policy), 1, null, null, null);
        long[] targets = new long[flows];
        java.util.Arrays.fill(targets, 1_000_000_000L);
        Scheduler.DepthControl control = depth.equals("auto") ? Scheduler.DepthControl.of(64, targets)
                : Scheduler.DepthControl.OFF;
        scheduler = new Scheduler(Policies.create(config, SchedulerDispatchBench.weights(flows)), flows, 1,
                System::nanoTime, t -> inService = t, Scheduler.Idling.OFF, Scheduler.Timer.NONE, control);
        for (int i = 0; i <= SchedulerDispatchBench.QUEUED; i++) {
            for (int f = 0; f < flows; f++) {
                scheduler.offer(new SchedulerDispatchBench.BenchTicket(f, 4096), () -> { });
            }
        }
    }

    @Benchmark
    public Ticket completeDispatchOffer() {
        Ticket done = inService;
        scheduler.complete(done);
        scheduler.offer(done, () -> { });
        return done;
    }
}
