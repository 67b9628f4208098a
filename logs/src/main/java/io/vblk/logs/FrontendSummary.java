package io.vblk.logs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import io.vblk.requestlog.GuestRecord;

/** Folds frontend records into per-device I/Os, shares, IOPS and submit-to-complete latency. */
public final class FrontendSummary implements Consumer<GuestRecord> {
    public static final String NOTE = "errors (status != OK) count in I/Os and share; bytes and latency are over OK requests only";

    private final Map<String, Tally> devices = new TreeMap<>();
    private final Tally total = new Tally();
    private final Span span = new Span();
    private long records;

    @Override
    public void accept(GuestRecord g) {
        records++;
        span.add(g.submit(), g.complete());
        devices.computeIfAbsent(g.device(), k -> new Tally()).add(g);
        total.add(g);
    }

    public FrontendReport report(List<Path> files, long skippedLines) {
        List<FrontendDevice> list = new ArrayList<>();
        devices.forEach((name, t) -> list.add(t.figures(name, total.ios, span)));
        return new FrontendReport("frontend", files.stream().map(Path::toString).toList(), records, skippedLines,
                span.seconds(), NOTE, list, total.figures("total", total.ios, span));
    }

    private static final class Tally {
        private final Map<String, Long> errors = new TreeMap<>();
        private final Distribution latency = new Distribution();
        private long ios;
        private long bytes;

        void add(GuestRecord g) {
            ios++;
            if (!"OK".equals(g.status())) {
                errors.merge(g.status(), 1L, Long::sum);
                return;
            }
            bytes += g.bytes();
            latency.add(g.complete() - g.submit());
        }

        FrontendDevice figures(String name, long totalIos, Span span) {
            return new FrontendDevice(name, ios, Span.share(ios, totalIos), span.rate(ios), bytes, new TreeMap<>(errors),
                    latency.timing());
        }
    }
}
