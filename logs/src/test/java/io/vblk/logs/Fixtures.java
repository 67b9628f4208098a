package io.vblk.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import io.vblk.requestlog.GuestRecord;
import io.vblk.requestlog.JsonLine;
import io.vblk.requestlog.RequestRecord;

/**
 * Request logs with figures known by construction, written line by line with the records' own toJson,
 * as the backend and the frontend write them (in completion order).
 */
public final class Fixtures {
    static final long BASE = 81_273_645_120_034L;
    static final long US = 1_000;
    static final long MS = 1_000_000;
    static final long S = 1_000_000_000;

    private Fixtures() {}

    /** docs/request-logs.md's example record. */
    public static final RequestRecord EXAMPLE = new RequestRecord("sda11", 0, 17, 40213, "OUT", 1834976, 4096, "OK", 80, "aio",
            81273645120034L, 81273645121950L, 81273647302811L, 81273647803377L, 81273647811020L, 97, 8, 1);

    static RequestRecord backend(String device, int weight, long seq, String type, String status, long q, long q2d,
                                 long d2c, long c2r, int inServiceDevice) {
        long d = q + q2d;
        long c = d + d2c;
        return new RequestRecord(device, 0, (int) (seq % 128), seq, type, seq * 8, 4096, status, weight, "aio",
                q, q + 2 * US, d, c, c + c2r, inServiceDevice, 8, 1);
    }

    /**
     * 125 requests, one arriving every millisecond from BASE; every fifth is sda12's (weight 20), the rest
     * sda11's (weight 80). sda11's k-th request (k = 0..99) waits (k + 1) x 10us at the scheduler, is served
     * in 500us, replied in 8us, alternates IN and OUT and has k % 10 + 1 of its device's requests in service at its dispatch.
     * sda12's waits 2ms and is served in 500us; its first fails with IOERR at the store, its second is refused
     * at once (UNSUPP). The last reply is sda12's, at BASE + 126.508ms.
     */
    public static List<RequestRecord> seedLog() {
        List<RequestRecord> records = new ArrayList<>();
        int k = 0;
        int j = 0;
        for (int n = 0; n < 125; n++) {
            long q = BASE + n * MS;
            if (n % 5 == 4) {
                if (j == 1) {
                    records.add(new RequestRecord("sda12", 0, 1, 1, "TYPE_99", 0, 0, "UNSUPP", 20, "aio",
                            q, q, q, q, q + 5 * US, 0, 0, 1));
                } else {
                    records.add(backend("sda12", 20, j, "OUT", j == 0 ? "IOERR" : "OK", q, 2 * MS, 500 * US, 8 * US, 4));
                }
                j++;
            } else {
                records.add(backend("sda11", 80, k, k % 2 == 0 ? "IN" : "OUT", "OK", q, (k + 1) * 10 * US, 500 * US,
                        8 * US, k % 10 + 1));
                k++;
            }
        }
        records.sort(Comparator.comparingLong(RequestRecord::r));
        return records;
    }

    /** The frontend's view of {@code r}: submitted {@code wayIn} before q, completed {@code wayBack} after r. */
    public static GuestRecord guest(RequestRecord r, long wayIn, long wayBack) {
        return new GuestRecord(r.device(), r.queue(), r.desc(), r.seq(), r.type(), r.sector(), r.bytes(), r.status(),
                r.q() - wayIn, r.r() + wayBack);
    }

    public static Path write(Path file, List<? extends JsonLine> records) throws IOException {
        StringBuilder b = new StringBuilder();
        for (JsonLine r : records) {
            b.append(r.toJson()).append('\n');
        }
        Files.writeString(file, b);
        return file;
    }

    public static String json(JsonLine record) {
        return record.toJson();
    }

    /**
     * Replies (r) from BASE: in the first second 100, every fifth sda12's (80/20); in the next 100 alternating
     * (50/50); nothing in the third; 10 of sda11's in the fourth.
     */
    public static List<RequestRecord> shiftingLog() {
        List<RequestRecord> log = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            log.add(reply(i % 5 == 4 ? "sda12" : "sda11", i, BASE + i * 10 * MS));
        }
        for (int i = 0; i < 100; i++) {
            log.add(reply(i % 2 == 1 ? "sda12" : "sda11", 100 + i, BASE + S + i * 10 * MS));
        }
        for (int i = 0; i < 10; i++) {
            log.add(reply("sda11", 200 + i, BASE + 3 * S + i * 10 * MS));
        }
        return log;
    }

    private static RequestRecord reply(String device, long seq, long r) {
        // q 3ms before r: 2ms wait, 500us + 492us service, 8us reply
        return Fixtures.backend(device, device.equals("sda11") ? 80 : 20, seq, "OUT", "OK", r - 3 * MS, 2 * MS,
                992_000, 8_000, 4);
    }

    /** The nearest-rank percentile, the definition HdrHistogram follows: the smallest value with p% at or below it. */
    static long percentile(List<Long> values, double p) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
