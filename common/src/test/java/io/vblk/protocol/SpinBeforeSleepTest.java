package io.vblk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

class SpinBeforeSleepTest {
    private long now = 1_000_000;
    private int ready;
    private int polls;
    private final SpinBeforeSleep strategy = new SpinBeforeSleep(50_000, () -> now);

    private int next(boolean hasTasks) throws Exception {
        return strategy.calculateStrategy(() -> {
            polls++;
            return ready;
        }, hasTasks);
    }

    @Test
    void pollsWithoutSleepingUntilTheSpinHasPassedSinceTheLastWork() throws Exception {
        now += 10_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
        now += 39_999;
        assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
        now += 1;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).as("every call polls once, without blocking").isEqualTo(3);
    }

    @Test
    void readyEventsAreHandedOnAndRestartTheSpin() throws Exception {
        now += 45_000;
        ready = 3;
        assertThat(next(false)).isEqualTo(3);
        ready = 0;
        now += 45_000;
        assertThat(next(false)).as("45us after the events, not after the start").isEqualTo(SelectStrategy.CONTINUE);
        now += 5_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void pendingTasksRestartTheSpinAndGetTheNonBlockingPoll() throws Exception {
        now += 60_000;
        assertThat(next(true)).as("with tasks the loop polls and runs them").isZero();
        now += 49_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void theCallAfterASleepCountsAsWork() throws Exception {
        now += 50_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        now += 5_000_000;
        assertThat(next(false)).as("woken by an event it has just handled").isZero();
        now += 1_000;
        assertThat(next(false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void zeroSpinSleepsAtOnce() throws Exception {
        SpinBeforeSleep none = new SpinBeforeSleep(0, () -> now);
        assertThat(none.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    }
}
