package io.vblk.logs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.RequestRecord;

/**
 * Joins a backend log with the frontend log of the same run on (device, queue, seq). Both logs are written
 * in completion order, so reading them merged by that stamp meets each pair while its first half waits in a
 * small map; what is left in the maps at the end has no partner. The result does not depend on the order,
 * only the memory does.
 */
public final class Join {
    private record Key(String device, int queue, long seq) {}

    private final Map<Key, RequestRecord> backendWaiting = new HashMap<>();
    private final Map<Key, GuestRecord> frontendWaiting = new HashMap<>();
    private final Map<String, Tally> devices = new TreeMap<>();
    private final Tally total = new Tally();

    /** Joins run {@code backendRun} of the one log with {@code frontendRun} of the other (null: every record). */
    public static JoinReport run(Path backendLog, String backendRun, Path frontendLog, String frontendRun,
                                 Consumer<String> warnings) {
        Join join = new Join();
        try (LogReader<RequestRecord> b = LogReader.open(backendLog, RequestRecord.class, warnings).inRun(backendRun);
             LogReader<GuestRecord> f = LogReader.open(frontendLog, GuestRecord.class, warnings).inRun(frontendRun)) {
            RequestRecord nb = b.hasNext() ? b.next() : null;
            GuestRecord nf = f.hasNext() ? f.next() : null;
            while (nb != null || nf != null) {
                if (nf == null || (nb != null && nb.r() <= nf.complete())) {
                    join.backend(nb);
                    nb = b.hasNext() ? b.next() : null;
                } else {
                    join.frontend(nf);
                    nf = f.hasNext() ? f.next() : null;
                }
            }
            return join.report(backendLog, frontendLog, b.skipped() + f.skipped());
        }
    }

    void backend(RequestRecord r) {
        Key k = new Key(r.device(), r.queue(), r.seq());
        GuestRecord g = frontendWaiting.remove(k);
        if (g != null) {
            pair(r, g);
            return;
        }
        // a key seen twice on one side (a reconnect restarts seq): the older record can no longer be joined
        if (backendWaiting.put(k, r) != null) {
            count(r.device(), t -> t.backendOnly++);
        }
    }

    void frontend(GuestRecord g) {
        Key k = new Key(g.device(), g.queue(), g.seq());
        RequestRecord r = backendWaiting.remove(k);
        if (r != null) {
            pair(r, g);
            return;
        }
        if (frontendWaiting.put(k, g) != null) {
            count(g.device(), t -> t.frontendOnly++);
        }
    }

    JoinReport report(Path backendLog, Path frontendLog, long skippedLines) {
        backendWaiting.values().forEach(r -> count(r.device(), t -> t.backendOnly++));
        frontendWaiting.values().forEach(g -> count(g.device(), t -> t.frontendOnly++));
        List<JoinDevice> list = new ArrayList<>();
        devices.forEach((name, t) -> list.add(t.figures(name)));
        return new JoinReport(backendLog.toString(), frontendLog.toString(), skippedLines, list, total.figures("total"),
                total.wayIn.negatives() + total.wayBack.negatives());
    }

    private void pair(RequestRecord r, GuestRecord g) {
        if (!r.type().equals(g.type()) || r.sector() != g.sector() || r.bytes() != g.bytes()) {
            count(r.device(), t -> t.conflicts++);
            return;
        }
        count(r.device(), t -> t.add(r, g));
    }

    private void count(String device, Consumer<Tally> change) {
        change.accept(devices.computeIfAbsent(device, k -> new Tally()));
        change.accept(total);
    }

    private static final class Tally {
        private final Distribution wayIn = new Distribution();
        private final Distribution backend = new Distribution();
        private final Distribution wayBack = new Distribution();
        private long backendOnly;
        private long frontendOnly;
        private long conflicts;

        void add(RequestRecord r, GuestRecord g) {
            wayIn.add(r.q() - g.submit());
            backend.add(r.r() - r.q());
            wayBack.add(g.complete() - r.r());
        }

        JoinDevice figures(String name) {
            return new JoinDevice(name, backend.count(), backendOnly, frontendOnly, conflicts, wayIn.timing(),
                    backend.timing(), wayBack.timing());
        }
    }
}
