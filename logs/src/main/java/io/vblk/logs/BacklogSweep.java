package io.vblk.logs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backend's backlog figures recomputed from a request log, so that the two can be checked against each
 * other: each OK request waited at the scheduler from its I stamp to its D stamp. A sweep over those
 * intervals in time order gives each device's backlogged time (at least one waiting), the time every device
 * of the log had one waiting at once, and which dispatches were decided then. At equal stamps arrivals come
 * before decisions, as in the scheduler, which counts a request as waiting at its own decision.
 */
public final class BacklogSweep {
    private static final int DEVICE_BITS = 11;
    private static final int MAX_DEVICES = 1 << DEVICE_BITS;

    private final Map<String, Integer> index = new LinkedHashMap<>();
    // packed events: (stamp - origin) << 12 | kind << 11 | device, kind 0 = into the scheduler, 1 = dispatched
    private long[] events = new long[1024];
    private int size;
    private long origin = Long.MIN_VALUE;
    private boolean tooMany;

    /** One OK request: it waited at the scheduler from {@code i} to {@code d} (the log's I and D stamps). */
    public void add(String device, long i, long d) {
        Integer dev = index.get(device);
        if (dev == null) {
            if (index.size() == MAX_DEVICES) {
                tooMany = true;
                return;
            }
            dev = index.size();
            index.put(device, dev);
        }
        if (origin == Long.MIN_VALUE) {
            // stamps of one log lie within days of each other; the first one seen anchors them, less a margin
            origin = i - (1L << 50);
        }
        if (size + 2 > events.length) {
            events = Arrays.copyOf(events, events.length * 2);
        }
        events[size++] = (i - origin) << 12 | dev;
        events[size++] = (d - origin) << 12 | 1L << DEVICE_BITS | dev;
    }

    /** The figures, per device in first-seen order; null when the log names more devices than a sweep takes. */
    Result result() {
        if (tooMany) {
            return null;
        }
        int n = index.size();
        long[] sorted = Arrays.copyOf(events, size);
        Arrays.sort(sorted);
        int[] waiting = new int[n];
        long[] since = new long[n];
        long[] backlogged = new long[n];
        long[] decided = new long[n];
        long[] decidedAll = new long[n];
        int backloggedDevices = 0;
        long allSince = -1;
        long all = 0;
        for (long e : sorted) {
            long t = e >>> 12;
            int dev = (int) (e & (MAX_DEVICES - 1));
            if ((e & 1L << DEVICE_BITS) == 0) {
                if (waiting[dev]++ == 0) {
                    since[dev] = t;
                    if (++backloggedDevices == n) {
                        allSince = t;
                    }
                }
                continue;
            }
            decided[dev]++;
            if (backloggedDevices == n) {
                decidedAll[dev]++;
            }
            if (--waiting[dev] == 0) {
                backlogged[dev] += t - since[dev];
                if (backloggedDevices-- == n) {
                    all += t - allSince;
                }
            }
        }
        Map<String, Device> devices = new LinkedHashMap<>();
        index.forEach((name, dev) -> devices.put(name, new Device(backlogged[dev], decided[dev], decidedAll[dev])));
        return new Result(all, devices);
    }

    /**
     * Per window [from, to) of the log's clock, each device's dispatches decided while every device of the log
     * had a request waiting, by device in first-seen order; empty maps when the log names too many devices.
     */
    public java.util.List<Map<String, Long>> decidedAllBacklogged(java.util.List<long[]> windows) {
        java.util.List<Map<String, Long>> out = new java.util.ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Map<String, Long> m = new LinkedHashMap<>();
            index.keySet().forEach(name -> m.put(name, 0L));
            out.add(m);
        }
        if (tooMany) {
            return out;
        }
        String[] names = index.keySet().toArray(String[]::new);
        int n = names.length;
        long[] sorted = Arrays.copyOf(events, size);
        Arrays.sort(sorted);
        int[] waiting = new int[n];
        int backloggedDevices = 0;
        for (long e : sorted) {
            int dev = (int) (e & (MAX_DEVICES - 1));
            if ((e & 1L << DEVICE_BITS) == 0) {
                if (waiting[dev]++ == 0) {
                    backloggedDevices++;
                }
                continue;
            }
            if (backloggedDevices == n) {
                long t = (e >>> 12) + origin;
                for (int w = 0; w < windows.size(); w++) {
                    if (t >= windows.get(w)[0] && t < windows.get(w)[1]) {
                        out.get(w).merge(names[dev], 1L, Long::sum);
                    }
                }
            }
            if (--waiting[dev] == 0) {
                backloggedDevices--;
            }
        }
        return out;
    }

    record Device(long backloggedNanos, long dispatched, long dispatchedAllBacklogged) {}

    record Result(long allBackloggedNanos, Map<String, Device> devices) {
        long dispatchedAllBacklogged() {
            return devices.values().stream().mapToLong(Device::dispatchedAllBacklogged).sum();
        }
    }
}
