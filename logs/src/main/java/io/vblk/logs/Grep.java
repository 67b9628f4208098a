package io.vblk.logs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Locale;
import java.util.function.Consumer;
import io.vblk.requestlog.RequestRecord;

/** {@code vblk logs grep}: the backend records that pass a filter, one readable line each. */
public final class Grep {
    private static final int SECTOR = 512;

    private Grep() {}

    /**
     * Prints the matching records of run {@code run} of {@code file} (null: every record) in arrival order, at
     * most {@code limit}, the earliest; returns how many were printed. Times count from the earliest arrival (q)
     * in the run, matching or not. The log is in reply order, so the matches are gathered (at most
     * {@code limit} of them at a time) and sorted before anything is printed.
     */
    public static long run(Path file, String run, GrepFilter filter, long limit, Consumer<String> out,
                           Consumer<String> warnings) {
        // the latest arrival on top, so that it is the one dropped when a earlier match comes past the limit
        PriorityQueue<RequestRecord> kept = new PriorityQueue<>(Comparator.comparingLong(RequestRecord::q).reversed());
        long origin = Long.MAX_VALUE;
        try (LogReader<RequestRecord> records = LogReader.open(file, RequestRecord.class, warnings).inRun(run)) {
            while (records.hasNext()) {
                RequestRecord r = records.next();
                origin = Math.min(origin, r.q());
                if (filter.test(r)) {
                    kept.add(r);
                    if (kept.size() > limit) {
                        kept.poll();
                    }
                }
            }
        }
        List<RequestRecord> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparingLong(RequestRecord::q));
        for (RequestRecord r : sorted) {
            out.accept(line(r, origin));
        }
        return sorted.size();
    }

    /**
     * One record in the manner of blkparse:
     * {@code   12.345678  sda11 q0 #40213 d17 OUT  1834976+8  4096B OK  Q2C 2.68ms (Q2D 2.18ms D2C 0.50ms C2R 7.6us) in service/dispatched 97/8}:
     * arrival in seconds after {@code originNs}, device, queue, seq, descriptor, type, start sector + sectors,
     * bytes, status, the phases, and, at its dispatch, the device's requests in service / all devices' requests dispatched.
     */
    public static String line(RequestRecord r, long originNs) {
        return String.format(Locale.ROOT, "%11.6f  %s q%d #%d d%d %-3s  %d+%d  %dB %s  Q2C %s (Q2D %s D2C %s C2R %s) in service/dispatched %d/%d",
                (r.q() - originNs) / 1e9, r.device(), r.queue(), r.seq(), r.desc(), r.type(), r.sector(), r.bytes() / SECTOR,
                r.bytes(), r.status(), Times.compact(r.q2c()), Times.compact(r.q2d()), Times.compact(r.d2c()),
                Times.compact(r.c2r()), r.inServiceDevice(), r.dispatchedTotal());
    }
}
