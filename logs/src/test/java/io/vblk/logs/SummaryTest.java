package io.vblk.logs;

import static io.vblk.logs.Fixtures.MS;
import static io.vblk.logs.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures of {@code vblk logs summary} against the seed fixture, whose every value is known. */
class SummaryTest {
    private static final double SPAN_S = 0.126508;

    private static BackendReport seed() {
        BackendSummary s = new BackendSummary();
        Fixtures.seedLog().forEach(s);
        return s.report(List.of(Path.of("seed.log")), 0);
    }

    /** Percentiles are HdrHistogram's at 3 significant digits: within 0.1% of the exact value, never above the max. */
    private static void assertTiming(Timing t, double mean, double p50, double p99, double max) {
        assertThat(t.meanUs()).isCloseTo(mean, offset(0.001));
        assertThat(t.p50Us()).isCloseTo(p50, withinPercentage(0.1));
        assertThat(t.p99Us()).isCloseTo(p99, withinPercentage(0.1));
        assertThat(t.maxUs()).isCloseTo(max, offset(0.001));
    }

    @Test
    void countsSharesAndRatesPerDevice() {
        BackendReport r = seed();

        assertThat(r.records()).isEqualTo(125);
        assertThat(r.spanS()).isCloseTo(SPAN_S, offset(1e-12));
        assertThat(r.devices()).extracting(BackendDevice::name).containsExactly("sda11", "sda12");
        BackendDevice a = r.devices().get(0);
        BackendDevice b = r.devices().get(1);
        assertThat(a.ios()).isEqualTo(100);
        assertThat(a.share()).isEqualTo(0.8);
        assertThat(a.iops()).isCloseTo(100 / SPAN_S, offset(1e-6));
        assertThat(a.bytes()).isEqualTo(100 * 4096);
        assertThat(a.errors()).isEmpty();
        assertThat(a.weights()).containsExactly(80);
        assertThat(b.ios()).isEqualTo(25);
        assertThat(b.share()).isEqualTo(0.2);
        assertThat(b.bytes()).as("OK requests only").isEqualTo(23 * 4096);
        assertThat(b.errors()).isEqualTo(Map.of("IOERR", 1L, "UNSUPP", 1L));
        assertThat(r.total().ios()).isEqualTo(125);
        assertThat(r.total().iops()).isCloseTo(125 / SPAN_S, offset(1e-6));
        assertThat(r.total().errors()).isEqualTo(Map.of("IOERR", 1L, "UNSUPP", 1L));
    }

    @Test
    void phasesAreOverOkRequests() {
        BackendReport r = seed();
        Phases a = r.devices().get(0).phases();
        // sda11 waits 10, 20 ... 1000us: the 50th value is 500us, the 99th 990us, the mean 505us
        assertTiming(a.q2d(), 505, 500, 990, 1000);
        assertTiming(a.d2c(), 500, 500, 500, 500);
        assertTiming(a.q2c(), 1005, 1000, 1490, 1500);
        assertTiming(a.c2r(), 8, 8, 8, 8);
        // sda12's refused request (all phases 0) and its IOERR are left out: only the 23 OK ones count
        Phases b = r.devices().get(1).phases();
        assertTiming(b.q2d(), 2000, 2000, 2000, 2000);
        assertTiming(b.c2r(), 8, 8, 8, 8);
        // total: 100 waits of 10..1000us and 23 of 2000us; the 62nd of 123 is 620us, the 122nd is 2000us
        List<Long> all = new java.util.ArrayList<>();
        Fixtures.seedLog().stream().filter(x -> x.status().equals("OK")).forEach(x -> all.add(x.q2d()));
        assertThat(Fixtures.percentile(all, 50)).isEqualTo(620 * US);
        assertTiming(r.total().phases().q2d(), all.stream().mapToLong(Long::longValue).sum() / 123.0 / 1e3, 620, 2000, 2000);
    }

    @Test
    void inServiceAndDispatchedAtDispatch() {
        BackendReport r = seed();

        // sda11 has 1..10 of its requests in service at a dispatch, ten times each
        assertThat(r.devices().get(0).inServiceDevice()).isEqualTo(new Spread(5.5, 5, 10, 10));
        assertThat(r.devices().get(0).dispatchedTotal()).isEqualTo(new Spread(8, 8, 8, 8));
        assertThat(r.devices().get(1).inServiceDevice()).isEqualTo(new Spread(4, 4, 4, 4));
    }

    @Test
    void aDeviceWithOnlyErrorsHasNoPhases() {
        BackendSummary s = new BackendSummary();
        s.accept(Fixtures.backend("sda13", 10, 0, "IN", "IOERR", Fixtures.BASE, MS, MS, US, 1));
        BackendDevice d = s.report(List.of(Path.of("x")), 0).devices().get(0);

        assertThat(d.phases()).isEqualTo(new Phases(null, null, null, null));
        assertThat(d.inServiceDevice()).isNull();
        assertThat(d.iops()).as("one request over q to r, 2.001ms").isCloseTo(1 / 0.002001, offset(1e-9));
    }

    @Test
    void theTextNamesTheRuleForErrorsAndPrintsEachPhase() {
        String text = SummaryText.format(seed());

        assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("backend log seed.log: 125 records over 0.127 s"
                + " (first q to last r); errors (status != OK) count in I/Os and share; bytes, phases and in-service counts are over"
                + " OK requests only");
        assertThat(text).contains(
                "device | mode | weight | I/Os | ratio to total | IOPS |  MB | errors\n",
                "sda11  | aio  |     80 |  100 |          80.0% |  790 | 0.4 | -\n",
                "sda12  | aio  |     20 |   25 |          20.0% |  198 | 0.1 | IOERR 1, UNSUPP 1\n",
                "total  | aio  |        |  125 |         100.0% |  988 | 0.5 | IOERR 1, UNSUPP 1\n",
                // one unit for the whole table, in its header: the C2R of 8 us beside the Q2D of 0.5-2 ms
                "device | phase | mean (ms) | p50 (ms) | p99 (ms) | max (ms)\n",
                "sda11  | Q2D   |     0.505 |    0.500 |    0.990 |    1.000\n",
                "       | C2R   |     0.008 |    0.008 |    0.008 |    0.008\n",
                "total  | Q2D   |     0.785 |    0.620 |    2.000 |    2.000\n",
                "sda11  | in service      |  5.5 |   5 |  10 |  10\n");
    }

    @Test
    void frontendLatencyIsSubmitToComplete() {
        FrontendSummary s = new FrontendSummary();
        Fixtures.seedLog().forEach(r -> s.accept(Fixtures.guest(r, 30 * US, 20 * US)));
        FrontendReport r = s.report(List.of(Path.of("guest.log")), 0);

        FrontendDevice a = r.devices().get(0);
        assertThat(r.records()).isEqualTo(125);
        assertThat(r.spanS()).isCloseTo(SPAN_S + 50e-6, offset(1e-12));
        assertThat(a.ios()).isEqualTo(100);
        assertThat(a.share()).isEqualTo(0.8);
        assertThat(a.iops()).isCloseTo(100 / (SPAN_S + 50e-6), offset(1e-6));
        // Q2C + C2R + 30us in + 20us back: 1005 + 8 + 50 on average
        assertTiming(a.latency(), 1063, 1058, 1548, 1558);
        assertThat(r.devices().get(1).errors()).isEqualTo(Map.of("IOERR", 1L, "UNSUPP", 1L));
        assertThat(SummaryText.format(r)).startsWith("frontend log guest.log: 125 records over 0.127 s (first submit to"
                + " last complete); errors (status != OK) count in I/Os and share; bytes and latency are over OK requests only");
    }

    @Test
    void theFeasibleShareComesFromThePeaksTheShortestD2cAndTheBusiest100Ms() {
        // C stamps: 71 in the busiest 100 ms, so 710 IOPS, 0.355 slots of 500 us; sda11 at most 10 in service
        // (cap 20 000 IOPS), sda12 4 (8 000): neither cap binds, lambda = 0.355 / (100 x 500 us), 80/20
        BackendReport r = seed();

        assertThat(r.feasibleMethod()).startsWith("from the log: capacity the most completions in any 100 ms (0.4 slots")
                .contains("= 710 IOPS; in service at most sda11 10 (20000 IOPS)")
                .endsWith("sda12 4 (8000 IOPS)");
        BackendDevice sda11 = r.devices().get(0);
        assertThat(sda11.feasibleShare()).isCloseTo(0.8, within(1e-12));
        assertThat(sda11.concurrencyGapPp()).isCloseTo(0, within(1e-9));
        assertThat(sda11.schedulerGapPp()).isCloseTo(0, within(1e-9));
        assertThat(r.devices().get(1).feasibleShare()).isCloseTo(0.2, within(1e-12));
        assertThat(r.total().feasibleShare()).isNull();
        assertThat(SummaryText.format(r)).contains("feasible share: from the log");
    }
}
