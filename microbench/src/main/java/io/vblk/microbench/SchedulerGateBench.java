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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One decision through the whole {@link Scheduler}, lock and time integrals included, as a request meets it:
 * the ticket in service completes, the policy's next one is dispatched, and the completed one is offered
 * again. Depth 1 keeps every flow backlogged ({@link SchedulerDispatchBench#QUEUED} tickets each), so each
 * decision sees {@code flows} contenders. Single-threaded: the uncontended cost. {@code depth} {@code auto} adds
 * latency-driven depth with a target of 1 s on every flow (windows of 1 s that always meet it, each flow's depth
 * at 64, above its tickets): the cost of its accounting per completion, not of a changing depth. {@code idle}
 * {@code on} idles for the device served ({@code scheduler.idle} 1 s, never reached) with one ticket per flow, as
 * sync flows have: each completion opens an idle period for its flow (the others are held back) and the offer of
 * its next request ends it in an arrival and dispatches it; the cost of one idle period per decision.
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

    @Param({"off", "on"})
    public String idle;

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
        boolean idling = idle.equals("on");
        // an idle period's time-out (1 s) is never due: each ends in its flow's next request first
        Scheduler.Timer timer = idling ? (nanos, task) -> { } : Scheduler.Timer.NONE;
        scheduler = new Scheduler(Policies.create(config, SchedulerDispatchBench.weights(flows)), flows, 1,
                System::nanoTime, t -> inService = t,
                idling ? new Scheduler.Idling(1_000_000_000L, false, 1) : Scheduler.Idling.OFF, timer, control);
        for (int i = 0; i <= (idling ? 0 : SchedulerDispatchBench.QUEUED); i++) {
            for (int f = 0; f < flows; f++) {
                scheduler.offer(new SchedulerDispatchBench.BenchTicket(f, 4096), () -> { });
            }
        }
    }

    /** What {@code on} claims to measure: every decision an idle period that ended in an arrival, none timed out. */
    @TearDown
    public void check() {
        Scheduler.FlowSnapshot served = scheduler.snapshot().flows().get(inService.flow);
        if (idle.equals("on") && (served.idleArrivals() < served.dispatched() - 1 || served.idleTimeouts() != 0)) {
            throw new IllegalStateException("idle on: " + served.idleArrivals() + " idle periods ended in an arrival, "
                    + served.idleTimeouts() + " timed out, for " + served.dispatched() + " dispatches");
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
