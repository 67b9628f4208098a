package io.vblk.logs;

import static io.vblk.logs.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.vblk.requestlog.RequestRecord;

class GrepTest {
    @TempDir
    Path dir;
    private final List<String> out = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private long grep(Path file, GrepFilter filter, long limit) {
        return Grep.run(file, null, filter, limit, out::add, warnings::add);
    }

    private static GrepFilter all() {
        return new GrepFilter(null, null, null, null);
    }

    @Test
    void theReadmeRecordAsALine() throws Exception {
        RequestRecord earlier = Fixtures.backend("sda12", 20, 9, "IN", "OK", Fixtures.EXAMPLE.q() - 12_345_678_000L,
                2_000 * US, 500 * US, 8 * US, 3);
        Path file = Fixtures.write(dir.resolve("b.log"), List.of(earlier, Fixtures.EXAMPLE));

        assertThat(grep(file, new GrepFilter("sda11", null, null, null), Long.MAX_VALUE)).isEqualTo(1);

        assertThat(out).containsExactly(
                "  12.345678  sda11 q0 #40213 d17 OUT  1834976+8  4096B OK  Q2C 2.68ms (Q2D 2.18ms D2C 0.50ms C2R 7.6us) in service/dispatched 97/8");
        assertThat(Grep.line(earlier, earlier.q())).isEqualTo(
                "   0.000000  sda12 q0 #9 d9 IN   72+8  4096B OK  Q2C 2.50ms (Q2D 2.00ms D2C 0.50ms C2R 8.0us) in service/dispatched 3/8");
    }

    @Test
    void filtersCombine() throws Exception {
        Path file = Fixtures.write(dir.resolve("seed.log"), Fixtures.seedLog());

        // sda11's OUTs are its odd k; Q2C = (k + 1) x 10us + 500us is over 900us from k = 40 on
        grep(file, new GrepFilter("sda11", "OUT", 900 * US, null), Long.MAX_VALUE);
        assertThat(out).hasSize(30).allMatch(l -> l.contains(" sda11 ") && l.contains(" OUT "));
        assertThat(out.get(0)).contains(" #41 ").contains("Q2C 0.92ms");

        out.clear();
        grep(file, new GrepFilter(null, "out", null, "ioerr"), Long.MAX_VALUE);
        assertThat(out).singleElement().asString().contains(" sda12 q0 #0 d0 OUT  0+8  4096B IOERR  Q2C 2.50ms");

        out.clear();
        grep(file, new GrepFilter(null, null, null, "UNSUPP"), Long.MAX_VALUE);
        assertThat(out).singleElement().asString()
                .endsWith(" sda12 q0 #1 d1 TYPE_99  0+0  0B UNSUPP  Q2C 0ns (Q2D 0ns D2C 0ns C2R 5.0us) in service/dispatched 0/0");

        out.clear();
        assertThat(grep(file, new GrepFilter("sda11", null, 1490 * US, null), Long.MAX_VALUE)).as("strictly slower").isEqualTo(1);
        assertThat(warnings).isEmpty();
    }

    @Test
    void theLimitStopsTheOutput() throws Exception {
        Path file = Fixtures.write(dir.resolve("seed.log"), Fixtures.seedLog());

        assertThat(grep(file, all(), 3)).isEqualTo(3);
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).startsWith("   0.000000  sda11 q0 #0 d0 IN ");
    }
}
