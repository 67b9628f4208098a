package io.vblk.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The window's figures from two hand-made snapshots, computed by hand from their differences over 2 s. */
class WindowFiguresTest {
    private static final long S = 1_000_000_000L;

    private static DeviceStats device(String name, int weight, long backlogged, long all, long held, long inflight,
                                      long backlog) {
        return new DeviceStats(name, weight, "aio", 0, 0, 0, 0, 7, inflight, backlog, backlogged, 0, all, held, List.of(), 0, 0, 0, 0, null);
    }

    private static final BackendStats START = new BackendStats(10 * S, "sfq", 8, 3 * S, S / 10, 4, 20 * S, List.of(
            device("a", 60, 5 * S, 100, 70 * S, 9 * S, 2 * S), device("b", 30, 6 * S, 200, 80 * S, 0, 0),
            device("idle", 10, 0, 0, 0, 0, 0)));
    private static final BackendStats END = new BackendStats(12 * S, "sfq", 8, 3 * S + S, S / 10 + S / 50, 4, 26 * S,
            List.of(device("a", 60, 5 * S + 2 * S * 79 / 100, 100 + 605, 70 * S + 2 * S * 27, 9 * S + 16 * S, 2 * S + S),
                    device("b", 30, 6 * S + 2 * S * 88 / 100, 200 + 395, 80 * S + 2 * S * 60, 12 * S, 7 * S),
                    device("idle", 10, 0, 0, 0, 0, 0)));

    private static Map<String, Integer> processes(int a, int b) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    @Test
    void aLatencyDrivenDepthIsItsMeanExtremesMissesAndSeriesWithinTheWindow() {
        // depth 64 from 0, 32 at 9 s, 16 at 11 s, 20 at 11.5 s, 10 at 13 s (after the window); integral by hand:
        // until 10 s 64 * 9 + 32 * 1 = 608; over 10-12 s 32 * 1 + 16 * 0.5 + 20 * 0.5 = 50, a mean of 25
        List<long[]> series = List.of(new long[] {0, 64}, new long[] {9 * S, 32}, new long[] {11 * S, 16},
                new long[] {11 * S + S / 2, 20}, new long[] {13 * S, 10});
        DeviceStats a = new DeviceStats("h", 20, "aio", 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0, 0,
                new DeviceStats.Depth(32, 608 * S, 3, series.subList(0, 2)));
        DeviceStats b = new DeviceStats("h", 20, "aio", 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0, 0,
                new DeviceStats.Depth(20, 658 * S, 5, series.subList(0, 4)));
        WindowFigures w = WindowFigures.of(new BackendStats(10 * S, "sfq", 64, 0, 0, 0, 0, List.of(a)),
                new BackendStats(12 * S, "sfq", 64, 0, 0, 0, 0, List.of(b)), Map.of("h", 128));

        WindowFigures.DepthWindow d = w.device("h").depth();
        assertThat(d.mean()).isCloseTo(25, within(1e-9));
        assertThat(d.min()).isEqualTo(16);
        assertThat(d.max()).isEqualTo(32);
        assertThat(d.latencyMisses()).isEqualTo(2);
        assertThat(d.series()).containsExactly(new double[] {0, 32}, new double[] {1000, 16}, new double[] {1500, 20});
        assertThat(w.device("h").depth()).isNotNull();
        assertThat(WindowFigures.of(START, END, processes(64, 64)).device("a").depth()).isNull();
    }

    @Test
    void everyFigureIsTheGrowthOfItsCounterOverTheWindow() {
        WindowFigures w = WindowFigures.of(START, END, processes(64, 64));

        assertThat(w.seconds()).isEqualTo(2.0);
        assertThat(w.allBackloggedFraction()).isCloseTo(0.5, within(1e-12));
        assertThat(w.dispatchLag()).isCloseTo(0.01, within(1e-12));
        assertThat(w.diskUtilization()).isCloseTo(6.0 / (2 * 4), within(1e-12));
        WindowFigures.DeviceWindow a = w.device("a");
        assertThat(a.backloggedFraction()).isCloseTo(0.79, within(1e-9));
        assertThat(a.shareBacklogged()).isCloseTo(0.605, within(1e-12));
        assertThat(a.loadHeldFraction()).isCloseTo(27.0 / 64, within(1e-12));
        assertThat(a.inServiceMean()).isCloseTo(8, within(1e-12));
        assertThat(a.backlogMean()).isCloseTo(0.5, within(1e-12));
        assertThat(a.peakInService()).isEqualTo(7);
        assertThat(w.device("b").shareBacklogged()).isCloseTo(0.395, within(1e-12));
        assertThat(w.device("b").loadHeldFraction()).isCloseTo(60.0 / 64, within(1e-12));
    }

    @Test
    void aGuestsLoadIsWhatItsDriverKeptOutstandingNotWhatTheBackendTookIn() {
        // sync mode: the backend held 1 request of the guest's disk, its driver kept 127 on the vring
        DeviceStats before = new DeviceStats("vm", 80, "sync", 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 10 * S, List.of(), 0, 0, 0, 100 * S, null);
        DeviceStats after = new DeviceStats("vm", 80, "sync", 0, 0, 0, 0, 1, 2 * S, 0, 0, 0, 0, 12 * S, List.of(), 0, 0, 0,
                100 * S + 2 * 127 * S, null);
        WindowFigures w = WindowFigures.of(new BackendStats(10 * S, "ioband", 32, 0, 0, 1, 0, List.of(before)),
                new BackendStats(12 * S, "ioband", 32, 0, 0, 1, 2 * S, List.of(after)), Map.of("vm", 128));

        assertThat(w.device("vm").outstandingMean()).isCloseTo(127, within(1e-12));
        assertThat(w.device("vm").loadHeldFraction()).isCloseTo(127.0 / 128, within(1e-12));
        assertThat(w.device("vm").inServiceMean()).isCloseTo(1, within(1e-12));
        assertThat(WindowFigures.of(START, END, processes(64, 64)).device("a").outstandingMean())
                .as("no guest drove it").isNull();
    }

    @Test
    void weightSharesAndTheAllBackloggedSplitCountOnlyTheDrivenDevices() {
        WindowFigures w = WindowFigures.of(START, END, processes(64, 32));

        assertThat(w.devices()).extracting(WindowFigures.DeviceWindow::name).containsExactly("a", "b");
        assertThat(w.device("a").weightShare()).isCloseTo(60.0 / 90, within(1e-12));
        assertThat(w.device("b").loadHeldFraction()).isCloseTo(60.0 / 32, within(1e-12));
    }

    @Test
    void anAllBackloggedTimeUnderOnePercentGivesNoSplitAndNoDiskGivesNoUtilization() {
        BackendStats end = new BackendStats(12 * S, "sfq", 8, 3 * S + S / 50 - 1, S / 10, 0, 0, END.devices());
        BackendStats start = new BackendStats(10 * S, "sfq", 8, 3 * S, S / 10, 0, 0, START.devices());

        WindowFigures w = WindowFigures.of(start, end, processes(64, 64));

        assertThat(w.device("a").shareBacklogged()).isNull();
        assertThat(w.diskUtilization()).isNull();
        assertThat(WindowFigures.of(start, end, processes(0, 64)).device("a").loadHeldFraction()).isNull();
    }

    @Test
    void aWindowMustHaveLength() {
        assertThatThrownBy(() -> WindowFigures.of(END, START, processes(1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
