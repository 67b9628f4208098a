package io.vblk.logs;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vblk.requestlog.ControlRecord;
import io.vblk.requestlog.DepthSample;
import io.vblk.requestlog.IdleSample;
import io.vblk.requestlog.RequestRecord;
import io.vblk.requestlog.Sample;
import java.io.IOException;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code vblk logs trace}: one run of a backend log in the Chrome Trace Event format (a JSON object with
 * {@code traceEvents}), which Perfetto UI and chrome://tracing open. Each device is a process, each lane of
 * each of its queues a thread ({@link Lanes}: a queue holds many requests at once). A request is a complete
 * event ("X") from q to r named after its type, holding one complete event per phase, blktrace's Q2I (queued),
 * I2D (admitted, at the scheduler), D2C (dispatched, at the disk and store) and C2R (the reply). Each device
 * also has two counters: its requests in service (from i to c) and its backlog (admitted, waiting at the
 * scheduler: from i to d), and, when the log has the scheduler's samples, its depth ({@code depth: auto}) and
 * the time idled for it so far ({@code scheduler.idle}, in ms). Times are microseconds from the run's earliest
 * stamp, to the nanosecond; a sample before it (the depth at the backend's start) is drawn at 0. Each live
 * change ({@link ControlRecord}) is a global instant event named like "sda11 weight 80 -> 60".
 */
public final class Trace {
    static final String[] PHASES = {"Q2I", "I2D", "D2C", "C2R"};

    /** What a trace holds: requests, devices, and threads (lanes of queues). */
    public record Written(long requests, int devices, int tracks, long skipped) {}

    private Trace() {}

    /**
     * Writes run {@code run} of the backend log {@code files} (null: every record) as a trace to {@code out},
     * which stays open (it may be stdout).
     */
    public static Written write(List<Path> files, String run, Writer out, Consumer<String> warnings) {
        List<RequestRecord> records = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        long skipped = LogReader.each(files, RequestRecord.class, run, warnings, records::add, samples::add);
        List<ControlRecord> changes = LogReader.controls(files, run, w -> {});
        samples.sort(Comparator.comparingLong(Sample::t));
        // a log is in reply order; lanes and counters need arrival order
        records.sort(Comparator.comparingLong(RequestRecord::q).thenComparingLong(RequestRecord::conn)
                .thenComparingLong(RequestRecord::seq));
        long origin = records.isEmpty() ? 0 : records.get(0).q();
        Map<String, Integer> pids = new LinkedHashMap<>();
        Map<String, RequestRecord> firstOf = new LinkedHashMap<>();
        for (RequestRecord r : records) {
            pids.putIfAbsent(r.device(), pids.size() + 1);
            firstOf.putIfAbsent(r.device(), r);
        }
        try (JsonGenerator g = LogReader.MAPPER.getFactory().createGenerator(out)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ms");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("source", "vblk logs trace");
            g.writeStringField("log", String.join(" ", files.stream().map(Path::toString).toList()));
            g.writeStringField("run", run == null ? "all" : run);
            g.writeNumberField("origin_ns", origin);
            g.writeEndObject();
            g.writeArrayFieldStart("traceEvents");
            for (Map.Entry<String, Integer> e : pids.entrySet()) {
                RequestRecord first = firstOf.get(e.getKey());
                metadata(g, "process_name", e.getValue(), null, "name",
                        e.getKey() + " (weight " + first.weight() + ", " + first.mode() + ")");
                metadata(g, "process_sort_index", e.getValue(), null, "sort_index", e.getValue());
            }
            int tracks = slices(g, records, pids, origin);
            for (Map.Entry<String, Integer> e : pids.entrySet()) {
                counters(g, records.stream().filter(r -> r.device().equals(e.getKey())).toList(), e.getValue(), origin);
            }
            for (Sample s : samples) {
                Integer pid = pids.get(s.device());
                long at = Math.max(0, s.t() - origin);
                if (pid != null && s instanceof DepthSample d) {
                    counter(g, "depth", pid, at, "depth", d.depth());
                } else if (pid != null && s instanceof IdleSample i) {
                    counter(g, "idle", pid, at, "ms", i.idleNs() / 1e6);
                }
            }
            for (ControlRecord c : changes) {
                // an instant event across the whole trace (scope g): where the rules changed
                g.writeStartObject();
                g.writeStringField("name", c.target() + " " + c.key() + " " + c.from() + " -> " + c.to());
                g.writeStringField("cat", "control");
                g.writeStringField("ph", "i");
                g.writeStringField("s", "g");
                g.writeNumberField("pid", 0);
                g.writeFieldName("ts");
                g.writeNumber(micros(Math.max(0, c.t() - origin)));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            return new Written(records.size(), pids.size(), tracks, skipped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // the requests and their phases, each on its device's queue's lowest free lane; returns the lanes used
    private static int slices(JsonGenerator g, List<RequestRecord> records, Map<String, Integer> pids, long origin)
            throws IOException {
        Map<String, Lanes> lanes = new LinkedHashMap<>();
        // per device, the thread id of each (queue, lane), numbered as they first appear
        Map<String, Map<Long, Integer>> tids = new LinkedHashMap<>();
        int tracks = 0;
        for (RequestRecord r : records) {
            int pid = pids.get(r.device());
            int lane = lanes.computeIfAbsent(r.device() + "\0" + r.queue(), k -> new Lanes()).place(r.q(), r.r());
            long key = ((long) r.queue() << 32) | lane;
            Map<Long, Integer> ofDevice = tids.computeIfAbsent(r.device(), k -> new LinkedHashMap<>());
            Integer tid = ofDevice.get(key);
            if (tid == null) {
                tid = ofDevice.size() + 1;
                ofDevice.put(key, tid);
                tracks++;
                metadata(g, "thread_name", pid, tid, "name", "q" + r.queue() + " lane " + lane);
                // queue by queue, lanes in order, whatever order they opened in
                metadata(g, "thread_sort_index", pid, tid, "sort_index", key);
            }
            g.writeStartObject();
            slice(g, r.type(), "request", pid, tid, r.q(), r.r(), origin);
            g.writeObjectFieldStart("args");
            g.writeNumberField("seq", r.seq());
            g.writeNumberField("conn", r.conn());
            g.writeNumberField("desc", r.desc());
            g.writeNumberField("sector", r.sector());
            g.writeNumberField("bytes", r.bytes());
            g.writeStringField("status", r.status());
            g.writeNumberField("in_service_device", r.inServiceDevice());
            g.writeNumberField("dispatched_total", r.dispatchedTotal());
            g.writeEndObject();
            g.writeEndObject();
            long[] stamps = {r.q(), r.i(), r.d(), r.c(), r.r()};
            for (int p = 0; p < PHASES.length; p++) {
                g.writeStartObject();
                slice(g, PHASES[p], "phase", pid, tid, stamps[p], stamps[p + 1], origin);
                g.writeEndObject();
            }
        }
        return tracks;
    }

    private static void slice(JsonGenerator g, String name, String category, int pid, int tid, long from, long to,
                              long origin) throws IOException {
        g.writeStringField("name", name);
        g.writeStringField("cat", category);
        g.writeStringField("ph", "X");
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeFieldName("ts");
        g.writeNumber(micros(from - origin));
        g.writeFieldName("dur");
        g.writeNumber(micros(to - from));
    }

    /**
     * The device's requests in service and its backlog, one sample wherever either changes (the value after
     * every change at that instant).
     */
    private static void counters(JsonGenerator g, List<RequestRecord> ofDevice, int pid, long origin) throws IOException {
        // per instant: the change of requests in service and of the backlog
        TreeMap<Long, long[]> changes = new TreeMap<>();
        for (RequestRecord r : ofDevice) {
            changes.computeIfAbsent(r.i(), k -> new long[2])[0]++;
            changes.get(r.i())[1]++;
            changes.computeIfAbsent(r.d(), k -> new long[2])[1]--;
            changes.computeIfAbsent(r.c(), k -> new long[2])[0]--;
        }
        long inService = 0;
        long backlog = 0;
        long[] last = {0, 0};
        // both start at nothing, from the run's start, so that a viewer draws the first rise as one
        counter(g, "in service", pid, 0, "requests", 0);
        counter(g, "backlog", pid, 0, "requests", 0);
        for (Map.Entry<Long, long[]> e : changes.entrySet()) {
            inService += e.getValue()[0];
            backlog += e.getValue()[1];
            if (inService != last[0]) {
                counter(g, "in service", pid, e.getKey() - origin, "requests", inService);
                last[0] = inService;
            }
            if (backlog != last[1]) {
                counter(g, "backlog", pid, e.getKey() - origin, "requests", backlog);
                last[1] = backlog;
            }
        }
    }

    private static void counter(JsonGenerator g, String name, int pid, long at, String unit, double value)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("ph", "C");
        g.writeNumberField("pid", pid);
        g.writeFieldName("ts");
        g.writeNumber(micros(at));
        g.writeObjectFieldStart("args");
        if (value == Math.rint(value)) {
            g.writeNumberField(unit, (long) value);
        } else {
            g.writeNumberField(unit, value);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void metadata(JsonGenerator g, String name, int pid, Integer tid, String key, Object value)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", pid);
        if (tid != null) {
            g.writeNumberField("tid", tid);
        }
        g.writeObjectFieldStart("args");
        g.writeObjectField(key, value);
        g.writeEndObject();
        g.writeEndObject();
    }

    // the format's microseconds, exact to the nanosecond: no binary fraction in the way
    private static BigDecimal micros(long nanos) {
        return BigDecimal.valueOf(nanos, 3);
    }
}
