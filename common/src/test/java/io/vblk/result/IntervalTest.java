package io.vblk.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The window's series from per-interval counters: where each interval ends, and what a late close does. */
class IntervalTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aWindowOfWholeIntervalsGivesOneEntryPerIntervalWithRatesAndShares() {
        List<Interval> series = Interval.series(S, 2 * S, List.of("a", "b"),
                List.of(new long[] {300, 100}, new long[] {100, 100}));

        assertThat(series).extracting(Interval::startS).containsExactly(0.0, 1.0);
        assertThat(series).extracting(Interval::endS).containsExactly(1.0, 2.0);
        assertThat(series.get(0).device("a").ios()).isEqualTo(300);
        assertThat(series.get(0).device("a").iops()).isEqualTo(300.0);
        assertThat(series.get(0).device("a").share()).isEqualTo(0.75);
        assertThat(series.get(1).device("b").share()).isEqualTo(0.5);
    }

    @Test
    void aCloseLaterThanPlannedStretchesTheLastIntervalWhoseRateIsOverItsLength() {
        // 2 s planned, closed 300 ms late: the last counter holds what completed in [1 s, 2.3 s)
        List<Interval> series = Interval.series(S, 2 * S + 3 * S / 10, List.of("a", "b"),
                List.of(new long[] {200, 230}, new long[] {50, 30}));

        assertThat(series).hasSize(2);
        assertThat(series.get(1).endS()).isEqualTo(2.3);
        assertThat(series.get(1).device("a").iops()).isCloseTo(230 / 1.3, within(1e-9));
        assertThat(series.get(1).device("b").share()).isCloseTo(30.0 / 260, within(1e-12));
    }

    @Test
    void aWindowThatIsNoMultipleOfTheIntervalEndsInAShorterOne() {
        // 2.5 s in 1 s intervals: the last is half an interval, its rate over 0.5 s
        List<Interval> series = Interval.series(S, 5 * S / 2, List.of("a"), List.of(new long[] {100, 100, 40}));

        assertThat(series).extracting(Interval::endS).containsExactly(1.0, 2.0, 2.5);
        assertThat(series.get(2).device("a").iops()).isEqualTo(80.0);
    }

    @Test
    void anIntervalLongerThanTheWindowIsTheWholeWindowAndAnEmptyOneHasNoShare() {
        List<Interval> series = Interval.series(10 * S, 3 * S, List.of("a", "b"), List.of(new long[] {0}, new long[] {0}));

        assertThat(series).hasSize(1);
        assertThat(series.get(0).endS()).isEqualTo(3.0);
        assertThat(series.get(0).device("a").share()).isZero();
    }

    @Test
    void slotsAreThePlannedWindowsIntervalsAtLeastOneAndAtMostTheBound() {
        assertThat(Interval.slots(3 * S, S)).isEqualTo(3);
        assertThat(Interval.slots(5 * S / 2, S)).isEqualTo(3);
        assertThat(Interval.slots(S, 10 * S)).isEqualTo(1);
        assertThat(Interval.slots(3600 * S, S / 1000)).isEqualTo(Interval.MAX_INTERVALS);
    }
}
