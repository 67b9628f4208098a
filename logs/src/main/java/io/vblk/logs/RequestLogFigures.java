package io.vblk.logs;

import io.vblk.report.DiskTime;
import io.vblk.report.ThinkTime;
import io.vblk.requestlog.RequestRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an experiment's variant reports from its runs' backend request logs, in one pass over them: each
 * device's think time ({@link ThinkTime}: per queue, a connection's queue in one file's run, its requests in
 * the order of their Q, each next Q, and I, less the previous R) and its disk time and bytes
 * ({@link DiskTime}: sums of D2C and of OK requests' bytes).
 */
public record RequestLogFigures(List<ThinkTime> thinkTimes, List<DiskTime> diskTimes) {
    public RequestLogFigures {
        thinkTimes = List.copyOf(thinkTimes);
        diskTimes = List.copyOf(diskTimes);
    }

    private record Queue(int file, String device, long conn, int queue) {}

    private static final class Device {
        final Distribution think = new Distribution();
        final Distribution admit = new Distribution();
        long d2c;
        long bytes;
    }

    /** The figures of each of {@code devices} (in that order; one without records is left out) over {@code files}. */
    public static RequestLogFigures of(List<Path> files, List<String> devices, Consumer<String> warnings) {
        Map<String, Device> figures = new LinkedHashMap<>();
        devices.forEach(d -> figures.put(d, new Device()));
        Map<Queue, List<long[]>> queues = new HashMap<>();
        for (int f = 0; f < files.size(); f++) {
            int file = f;
            LogReader.each(List.of(files.get(f)), RequestRecord.class, null, warnings, rec -> {
                Device d = figures.get(rec.device());
                if (d == null) {
                    return;
                }
                d.d2c += rec.d2c();
                d.bytes += "OK".equals(rec.status()) ? rec.bytes() : 0;
                queues.computeIfAbsent(new Queue(file, rec.device(), rec.conn(), rec.queue()), k -> new ArrayList<>())
                        .add(new long[] {rec.q(), rec.i(), rec.r()});
            });
        }
        queues.forEach((queue, qir) -> {
            Device d = figures.get(queue.device());
            qir.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int k = 1; k < qir.size(); k++) {
                d.think.add(qir.get(k)[0] - qir.get(k - 1)[2]);
                d.admit.add(qir.get(k)[1] - qir.get(k - 1)[2]);
            }
        });
        long d2c = figures.values().stream().mapToLong(d -> d.d2c).sum();
        long bytes = figures.values().stream().mapToLong(d -> d.bytes).sum();
        List<ThinkTime> think = new ArrayList<>();
        List<DiskTime> disk = new ArrayList<>();
        figures.forEach((name, d) -> {
            Timing t = d.think.timing();
            if (t != null) {
                Timing a = d.admit.timing();
                think.add(new ThinkTime(name, d.think.count(), d.think.negatives(), t.p50Us(), t.p99Us(), a.p50Us(),
                        a.p99Us()));
            }
            if (d.d2c > 0 || d.bytes > 0) {
                disk.add(new DiskTime(name, d.d2c / 1e9, d2c == 0 ? 0 : (double) d.d2c / d2c, d.bytes,
                        bytes == 0 ? 0 : (double) d.bytes / bytes));
            }
        });
        return new RequestLogFigures(think, disk);
    }
}
