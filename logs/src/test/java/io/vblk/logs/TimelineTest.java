package io.vblk.logs;

import static io.vblk.logs.Fixtures.MS;
import static io.vblk.logs.Fixtures.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vblk.requestlog.ControlRecord;
import io.vblk.requestlog.JsonLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.GuestRecord;

/** Windows of completion time and each device's share in them. */
class TimelineTest {

    private static TimelineReport timeline(List<RequestRecord> log, long window) {
        Timeline t = Timeline.backend(window, log.stream().mapToLong(RequestRecord::r).min().orElseThrow());
        log.forEach(r -> t.add(r.device(), r.r()));
        return t.report(List.of(Path.of("shift.log")));
    }

    @Test
    void eachWindowHasItsCountsAndSharesEvenWhenEmpty() {
        TimelineReport r = timeline(Fixtures.shiftingLog(), S);

        assertThat(r.devices()).containsExactly("sda11", "sda12");
        assertThat(r.by()).isEqualTo("r");
        assertThat(r.windowS()).isEqualTo(1.0);
        assertThat(r.windows()).extracting(TimelineReport.Window::startS).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(r.windows()).extracting(TimelineReport.Window::ios).containsExactly(100L, 100L, 0L, 10L);
        assertThat(r.windows().get(0).devices()).containsExactly(
                new TimelineReport.Share("sda11", 80, 0.8), new TimelineReport.Share("sda12", 20, 0.2));
        assertThat(r.windows().get(1).devices()).containsExactly(
                new TimelineReport.Share("sda11", 50, 0.5), new TimelineReport.Share("sda12", 50, 0.5));
        assertThat(r.windows().get(2).devices()).containsExactly(
                new TimelineReport.Share("sda11", 0, 0), new TimelineReport.Share("sda12", 0, 0));
        assertThat(r.windows().get(3).devices()).containsExactly(
                new TimelineReport.Share("sda11", 10, 1.0), new TimelineReport.Share("sda12", 0, 0));
        // the last reply is 90ms into the fourth second
        assertThat(r.lastWindowCoveredS()).isEqualTo(0.09);
        assertThat(r.lastWindowShort()).isTrue();
        assertThat(timeline(Fixtures.shiftingLog(), 4 * S).lastWindowShort()).as("one window is the whole log").isFalse();
    }

    @Test
    void aShorterWindowSplitsTheSecond() {
        TimelineReport r = timeline(Fixtures.shiftingLog(), 500 * MS);

        assertThat(r.windows()).hasSize(7);
        assertThat(r.windows()).extracting(TimelineReport.Window::ios).containsExactly(50L, 50L, 50L, 50L, 0L, 0L, 10L);
        assertThat(r.windows().get(0).devices().get(0).ios()).isEqualTo(40);
        assertThat(r.windows().get(3).devices().get(1).share()).isEqualTo(0.5);
    }

    @Test
    void aFrontendTimelineGoesByComplete() {
        Timeline t = Timeline.frontend(S, Fixtures.guest(Fixtures.shiftingLog().get(0), 30_000, 20_000).complete());
        Fixtures.shiftingLog().forEach(r -> {
            GuestRecord g = Fixtures.guest(r, 30_000, 20_000);
            t.add(g.device(), g.complete());
        });
        TimelineReport r = t.report(List.of(Path.of("guest.log")));

        assertThat(r.by()).isEqualTo("complete");
        assertThat(r.windows()).extracting(TimelineReport.Window::ios).containsExactly(100L, 100L, 0L, 10L);
    }

    @Test
    void theTableHasARowPerWindowAndTwoColumnsPerDevice() {
        String text = TimelineText.format(timeline(Fixtures.shiftingLog(), S));

        assertThat(text).isEqualTo("""
                timeline of shift.log: 1s windows by r from the earliest stamp; share = the device's part of the window's I/Os; \
                the log covers only 90.00 ms of the last window

                time (s) | sda11 |  share | sda12 | share | total
                ---------+-------+--------+-------+-------+------
                   0.000 |    80 |  80.0% |    20 | 20.0% |   100
                   1.000 |    50 |  50.0% |    50 | 50.0% |   100
                   2.000 |     0 |      - |     0 |     - |     0
                   3.000 |    10 | 100.0% |     0 |  0.0% |    10
                """);
    }

    @TempDir
    Path dir;

    @Test
    void liveChangesAreMarkedBetweenTheWindowsTheyPart() throws Exception {
        List<JsonLine> lines = new ArrayList<>(Fixtures.shiftingLog());
        lines.add(40, new ControlRecord("weight", "sda11", Fixtures.BASE + 995 * MS, "80", "50"));
        lines.add(new ControlRecord("policy", "scheduler", Fixtures.BASE + 5 * S, "sfq", "fifo"));
        Path log = Fixtures.write(dir.resolve("changes.log"), lines);

        TimelineReport r = Timeline.read(List.of(log), LogKind.BACKEND, null, S, w -> {});

        assertThat(r.changes()).containsExactly(new TimelineReport.Change(0.995, "sda11", "weight", "80", "50"),
                new TimelineReport.Change(5.0, "scheduler", "policy", "sfq", "fifo"));
        assertThat(r.windows()).extracting(TimelineReport.Window::ios).containsExactly(100L, 100L, 0L, 10L);
        String text = TimelineText.format(r);
        assertThat(text).contains("""
                   0.000 |    80 |  80.0% |    20 | 20.0% |   100
                -- at 0.995 s: sda11 weight 80 -> 50
                   1.000 |    50 |  50.0% |    50 | 50.0% |   100
                """);
        assertThat(text).endsWith("""
                   3.000 |    10 | 100.0% |     0 |  0.0% |    10
                -- at 5.000 s: scheduler policy sfq -> fifo
                """);
        Path png = dir.resolve("changes.png");
        TimelineChart.write(r, png);
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(900);
    }

    @Test
    void tooManyWindowsIsRefusedBeforeTheHeapFills() {
        Timeline t = Timeline.backend(1_000, Fixtures.shiftingLog().get(0).r());

        assertThatThrownBy(() -> Fixtures.shiftingLog().forEach(r -> t.add(r.device(), r.r())))
                .isInstanceOf(LogException.class).hasMessage("a 1us window makes more than 100,000 windows of this log;"
                        + " give a longer --window");
    }
}
