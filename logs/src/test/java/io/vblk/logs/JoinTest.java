package io.vblk.logs;

import static io.vblk.logs.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.RequestRecord;

class JoinTest {
    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();

    /**
     * The seed log's frontend view, 30us in and 20us back, except: sda11 #5 and sda12 #24 are missing (the
     * frontend lost them), sda11 #7 has another sector (a conflict), and sda11 #1000 has no backend record.
     */
    private static List<GuestRecord> guestLog(List<RequestRecord> backend) {
        List<GuestRecord> out = new ArrayList<>();
        for (RequestRecord r : backend) {
            GuestRecord g = Fixtures.guest(r, 30 * US, 20 * US);
            boolean lost = r.seq() == 5 && r.device().equals("sda11") || r.seq() == 24 && r.device().equals("sda12");
            if (r.seq() == 7 && r.device().equals("sda11")) {
                g = new GuestRecord(g.device(), g.queue(), g.desc(), g.seq(), g.type(), 999_999, g.bytes(), g.status(),
                        g.submit(), g.complete());
            }
            if (!lost) {
                out.add(g);
            }
        }
        RequestRecord last = backend.get(backend.size() - 1);
        out.add(new GuestRecord("sda11", 0, 3, 1000, "IN", 8000, 4096, "OK", last.r(), last.r() + 90 * US));
        out.sort(Comparator.comparingLong(GuestRecord::complete));
        return out;
    }

    private JoinReport join(List<RequestRecord> backend, List<GuestRecord> frontend) throws Exception {
        return Join.run(Fixtures.write(dir.resolve("backend.log"), backend), null, Fixtures.write(dir.resolve("guest.log"), frontend), null,
                warnings::add);
    }

    @Test
    void countsPairsAndTheUnmatchedOnEachSide() throws Exception {
        List<RequestRecord> backend = Fixtures.seedLog();
        JoinReport r = join(backend, guestLog(backend));

        JoinDevice a = r.devices().get(0);
        JoinDevice b = r.devices().get(1);
        assertThat(a.name()).isEqualTo("sda11");
        assertThat(a.joined()).isEqualTo(98);
        assertThat(a.backendOnly()).isEqualTo(1);
        assertThat(a.frontendOnly()).isEqualTo(1);
        assertThat(a.conflicts()).isEqualTo(1);
        assertThat(b.joined()).isEqualTo(24);
        assertThat(b.backendOnly()).isEqualTo(1);
        assertThat(b.frontendOnly()).isZero();
        assertThat(r.total().joined()).isEqualTo(122);
        assertThat(r.total().backendOnly()).isEqualTo(2);
        assertThat(r.negativeLegs()).isZero();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theThreeLegsOfEachPair() throws Exception {
        List<RequestRecord> backend = Fixtures.seedLog();
        JoinDevice a = join(backend, guestLog(backend)).devices().get(0);

        assertThat(a.wayIn()).isEqualTo(new Timing(30, 30, 30, 30));
        assertThat(a.wayBack()).isEqualTo(new Timing(20, 20, 20, 20));
        List<Long> inBackend = backend.stream().filter(r -> r.device().equals("sda11") && r.seq() != 5 && r.seq() != 7)
                .map(r -> r.r() - r.q()).toList();
        double mean = inBackend.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e3;
        assertThat(a.backend().meanUs()).isCloseTo(mean, offset(0.001));
        assertThat(a.backend().p50Us()).isCloseTo(Fixtures.percentile(inBackend, 50) / 1e3, withinPercentage(0.1));
        assertThat(a.backend().p99Us()).isCloseTo(Fixtures.percentile(inBackend, 99) / 1e3, withinPercentage(0.1));
        // k = 0..99 without 5 and 7: the 49th of 98 is k = 50, 10 x 51 + 500 + 8 us
        assertThat(Fixtures.percentile(inBackend, 50)).isEqualTo(1018 * US);
    }

    @Test
    void theResultDoesNotDependOnTheOrderOfTheLogs() throws Exception {
        List<RequestRecord> backend = Fixtures.seedLog();
        List<GuestRecord> frontend = guestLog(backend);
        JoinReport ordered = join(backend, frontend);
        List<RequestRecord> reversed = new ArrayList<>(backend);
        java.util.Collections.reverse(reversed);

        assertThat(join(reversed, frontend)).isEqualTo(ordered);
    }

    @Test
    void clocksThatDisagreeAreCountedAndShown() throws Exception {
        List<RequestRecord> backend = Fixtures.seedLog().subList(0, 10);
        List<GuestRecord> frontend = backend.stream().map(r -> Fixtures.guest(r, -5 * US, 20 * US)).toList();
        JoinReport r = join(backend, frontend);

        assertThat(r.negativeLegs()).isEqualTo(10);
        assertThat(r.total().wayIn()).isEqualTo(new Timing(0, 0, 0, 0));
        assertThat(JoinText.format(r)).endsWith("10 ways in or back came out negative and count as 0: the two logs do"
                + " not share a clock\n");
    }

    @Test
    void theTextHasCountsThenLegs() throws Exception {
        List<RequestRecord> backend = Fixtures.seedLog();
        String text = JoinText.format(join(backend, guestLog(backend)));

        assertThat(text).contains(
                "device | joined | backend only | frontend only | conflicting\n",
                "sda11  |     98 |            1 |             1 |           1\n",
                "total  |    122 |            2 |             1 |           1\n",
                "device | leg                     | mean (ms) | p50 (ms) | p99 (ms) | max (ms)\n",
                "sda11  | way in (q - submit)     |     0.030 |    0.030 |    0.030 |    0.030\n",
                "1 conflicting: the same key with another type, sector or length (seq restarted?); left out of the figures\n");
    }
}
