package io.vblk.logs;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import io.vblk.requestlog.RequestRecord;

/** {@code vblk logs grep}: the backend records that pass a filter, one readable line each. */
public final class Grep {
    private static final int SECTOR = 512;

    private Grep() {}

    /**
     * Prints the matching records of {@code file} in file order, at most {@code limit} (reading stops there);
     * returns how many were printed. Times count from the arrival (q) of the file's first record.
     */
    public static long run(Path file, GrepFilter filter, long limit, Consumer<String> out, Consumer<String> warnings) {
        long printed = 0;
        try (LogReader<RequestRecord> records = LogReader.open(file, RequestRecord.class, warnings)) {
            long origin = 0;
            boolean first = true;
            while (printed < limit && records.hasNext()) {
                RequestRecord r = records.next();
                if (first) {
                    origin = r.q();
                    first = false;
                }
                if (filter.test(r)) {
                    out.accept(line(r, origin));
                    printed++;
                }
            }
        }
        return printed;
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
