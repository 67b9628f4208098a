package io.vblk.logs;

import static io.vblk.logs.Fixtures.BASE;
import static io.vblk.logs.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.vblk.report.DiskTime;
import io.vblk.report.ThinkTime;
import io.vblk.requestlog.RequestRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Think times and disk times from request logs whose every gap and D2C is known by construction. */
class RequestLogFiguresTest {
    @TempDir
    Path dir;

    /**
     * {@code n} requests of one queue from {@code start}: each in the backend for 300us (Q to R), of which D2C
     * 297us; I 1us after Q; the next one's Q {@code gap} after the previous R.
     */
    private static List<RequestRecord> chain(String device, long conn, long start, int n, long gap) {
        return chain(device, conn, start, n, gap, 4096);
    }

    private static List<RequestRecord> chain(String device, long conn, long start, int n, long gap, int bytes) {
        List<RequestRecord> out = new ArrayList<>();
        long q = start;
        for (int k = 0; k < n; k++) {
            long r = q + 300 * US;
            out.add(new RequestRecord(device, 0, k, k, "IN", 8L * k, bytes, "OK", 80, "sync", q, q + US, q + 2 * US,
                    r - US, r, 1, 1, conn));
            q = r + gap;
        }
        return out;
    }

    /** Written in reply order, as the backend writes them, so a queue's chains interleave in the file. */
    private Path write(String name, List<List<RequestRecord>> chains) throws Exception {
        List<RequestRecord> all = new ArrayList<>();
        chains.forEach(all::addAll);
        all.sort(Comparator.comparingLong(RequestRecord::r));
        return Fixtures.write(dir.resolve(name), all);
    }

    @Test
    void gapsArePerQueueAndPerRunAndOnlyOfTheNamedDevices() throws Exception {
        // two connections of sda11 on queue 0 interleave in time (both start at BASE); a per-device chain would
        // see gaps of about 0 and 300us instead of 200us
        Path first = write("run1.jsonl", List.of(chain("sda11", 1, BASE, 11, 200 * US),
                chain("sda11", 2, BASE + 50 * US, 11, 200 * US), chain("sda12", 1, BASE, 5, 50 * US),
                chain("sda13", 3, BASE, 5, 9_000 * US)));
        // the second run's conn 1 starts over and overlaps the first run's times: a chain across files would mix
        Path second = write("run2.jsonl", List.of(chain("sda11", 1, BASE + 10 * US, 6, 1_000 * US)));

        List<ThinkTime> t = RequestLogFigures.of(List.of(first, second), List.of("sda11", "sda12", "sdz"), w -> {
            throw new AssertionError(w);
        }).thinkTimes();

        assertThat(t).extracting(ThinkTime::device).as("in the asked order; sdz has no records, sda13 was not asked")
                .containsExactly("sda11", "sda12");
        ThinkTime a = t.get(0);
        assertThat(a.samples()).as("10 + 10 gaps in run 1, 5 in run 2").isEqualTo(25);
        assertThat(a.medianUs()).isCloseTo(200, withinPercentage(0.1));
        assertThat(a.p99Us()).isCloseTo(1_000, withinPercentage(0.1));
        assertThat(a.overlapped()).isZero();
        assertThat(a.admitMedianUs()).as("I is 1us after Q").isCloseTo(201, withinPercentage(0.1));
        assertThat(a.admitP99Us()).isCloseTo(1_001, withinPercentage(0.1));
        ThinkTime b = t.get(1);
        assertThat(b.samples()).isEqualTo(4);
        assertThat(b.medianUs()).isCloseTo(50, withinPercentage(0.1));
        assertThat(b.p99Us()).isCloseTo(50, withinPercentage(0.1));
    }

    @Test
    void aNextRequestBeforeTheReplyIsAGapOfZero() throws Exception {
        // two in flight on one queue: the second's Q is 100us after the first's, long before the first's R
        List<RequestRecord> overlapping = new ArrayList<>(chain("sda11", 1, BASE, 1, 0));
        overlapping.addAll(chain("sda11", 1, BASE + 100 * US, 1, 0));
        Path log = write("overlap.jsonl", List.of(overlapping));

        List<ThinkTime> t = RequestLogFigures.of(List.of(log), List.of("sda11"), w -> {
            throw new AssertionError(w);
        }).thinkTimes();

        assertThat(t).singleElement().satisfies(x -> {
            assertThat(x.samples()).isEqualTo(1);
            assertThat(x.overlapped()).isEqualTo(1);
            assertThat(x.medianUs()).isZero();
        });
    }

    @Test
    void diskTimeIsTheSumOfD2cAndBytesThoseOfOkRequests() throws Exception {
        // small: 30 requests of 4 KiB; large: 10 of 64 KiB, one of them failed at the store; each D2C 297us
        List<RequestRecord> large = new ArrayList<>(chain("large", 1, BASE, 9, 100 * US, 65_536));
        RequestRecord failed = chain("large", 2, BASE, 1, 0, 65_536).get(0);
        large.add(new RequestRecord(failed.device(), failed.queue(), failed.desc(), failed.seq(), failed.type(),
                failed.sector(), failed.bytes(), "IOERR", failed.weight(), failed.mode(), failed.q(), failed.i(),
                failed.d(), failed.c(), failed.r(), 1, 1, failed.conn()));
        Path log = write("cost.jsonl", List.of(chain("small", 1, BASE, 30, 10 * US), large));

        List<DiskTime> d = RequestLogFigures.of(List.of(log), List.of("small", "large"), w -> {
            throw new AssertionError(w);
        }).diskTimes();

        assertThat(d).extracting(DiskTime::device).containsExactly("small", "large");
        assertThat(d.get(0).d2cS()).isCloseTo(30 * 297e-6, within(1e-12));
        assertThat(d.get(1).d2cS()).as("a failed request used the disk too").isCloseTo(10 * 297e-6, within(1e-12));
        assertThat(d.get(0).d2cShare()).isCloseTo(0.75, within(1e-12));
        assertThat(d.get(0).bytes()).isEqualTo(30 * 4096);
        assertThat(d.get(1).bytes()).isEqualTo(9 * 65_536);
        assertThat(d.get(0).bytesShare()).isCloseTo(30 * 4096.0 / (30 * 4096 + 9 * 65_536), within(1e-12));
        assertThat(d.get(0).d2cShare() + d.get(1).d2cShare()).isCloseTo(1, within(1e-12));
    }
}
