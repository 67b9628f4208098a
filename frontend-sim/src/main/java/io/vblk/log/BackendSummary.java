package io.vblk.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Folds backend records, one at a time, into the per-device figures of {@code vblk logs summary}. */
public final class BackendSummary implements Consumer<RequestRecord> {
    /**
     * Why errors stay out of the phases: a refused request has i = d = c = q, so its zero wait and service
     * would pull every percentile down; it still took its turn, so it counts in I/Os and share.
     */
    public static final String NOTE = "errors (status != OK) count in I/Os and share; bytes, phases and inflight are over OK requests only";

    private final Map<String, Tally> devices = new TreeMap<>();
    private final Tally total = new Tally(false);
    private final Span span = new Span();
    private long records;

    @Override
    public void accept(RequestRecord r) {
        records++;
        span.add(r.q(), r.r());
        devices.computeIfAbsent(r.device(), k -> new Tally(true)).add(r);
        total.add(r);
    }

    public BackendReport report(List<Path> files, long skippedLines) {
        List<BackendDevice> list = new ArrayList<>();
        devices.forEach((name, t) -> list.add(t.figures(name, total.ios, span)));
        return new BackendReport("backend", files.stream().map(Path::toString).toList(), records, skippedLines,
                span.seconds(), NOTE, list, total.figures("total", total.ios, span));
    }

    private static final class Tally {
        /** A weight belongs to a device; the total's list stays empty rather than read as a ratio. */
        private final boolean keepWeights;
        private final Set<Integer> weights = new TreeSet<>();
        private final Set<String> modes = new TreeSet<>();
        private final Map<String, Long> errors = new TreeMap<>();
        private final Distribution q2d = new Distribution();
        private final Distribution d2c = new Distribution();
        private final Distribution q2c = new Distribution();
        private final Distribution c2r = new Distribution();
        private final Distribution inflightDevice = new Distribution();
        private final Distribution inflightDisk = new Distribution();
        private long ios;
        private long bytes;

        Tally(boolean keepWeights) {
            this.keepWeights = keepWeights;
        }

        void add(RequestRecord r) {
            ios++;
            if (keepWeights) {
                weights.add(r.weight());
            }
            modes.add(r.mode());
            if (!"OK".equals(r.status())) {
                errors.merge(r.status(), 1L, Long::sum);
                return;
            }
            bytes += r.bytes();
            q2d.add(r.q2d());
            d2c.add(r.d2c());
            q2c.add(r.q2c());
            c2r.add(r.c2r());
            inflightDevice.add(r.inflightDevice());
            inflightDisk.add(r.inflightDisk());
        }

        BackendDevice figures(String name, long totalIos, Span span) {
            return new BackendDevice(name, List.copyOf(weights), List.copyOf(modes), ios, Span.share(ios, totalIos),
                    span.rate(ios), bytes, new TreeMap<>(errors),
                    new Phases(q2d.timing(), d2c.timing(), q2c.timing(), c2r.timing()),
                    inflightDevice.spread(), inflightDisk.spread());
        }
    }
}
