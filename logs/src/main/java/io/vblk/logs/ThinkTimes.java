package io.vblk.logs;

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
 * The flows' think time from backend request logs: per queue (a connection's queue in one file's run), its
 * requests in the order of their Q, each next Q less the previous R. A gap below 0 (the next request came
 * before the reply, as with more than one in flight on the queue) is counted as 0 by {@link Distribution}.
 */
public final class ThinkTimes {
    private ThinkTimes() {}

    private record Queue(int file, String device, long conn, int queue) {}

    /** The think time of each of {@code devices} (in that order) over every record of {@code files}. */
    public static List<ThinkTime> of(List<Path> files, List<String> devices, Consumer<String> warnings) {
        Map<Queue, List<long[]>> queues = new HashMap<>();
        for (int f = 0; f < files.size(); f++) {
            int file = f;
            LogReader.each(List.of(files.get(f)), RequestRecord.class, null, warnings, rec -> queues
                    .computeIfAbsent(new Queue(file, rec.device(), rec.conn(), rec.queue()), k -> new ArrayList<>())
                    .add(new long[] {rec.q(), rec.r()}));
        }
        Map<String, Distribution> gaps = new LinkedHashMap<>();
        devices.forEach(d -> gaps.put(d, new Distribution()));
        queues.forEach((queue, qr) -> {
            Distribution d = gaps.get(queue.device());
            if (d == null) {
                return;
            }
            qr.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < qr.size(); i++) {
                d.add(qr.get(i)[0] - qr.get(i - 1)[1]);
            }
        });
        List<ThinkTime> out = new ArrayList<>();
        gaps.forEach((device, d) -> {
            Timing t = d.timing();
            if (t != null) {
                out.add(new ThinkTime(device, d.count(), t.p50Us(), t.p99Us()));
            }
        });
        return out;
    }
}
