package io.vblk.log;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One request as the backend saw it, one JSON line in the request log. Timestamps are the backend's
 * monotonic nanoseconds (CLOCK_MONOTONIC, comparable with the frontend's on the same host) in blktrace's
 * vocabulary: {@code q} received, {@code i} into the scheduler, {@code d} dispatched to the store (or disk),
 * {@code c} completed by the store, {@code r} reply written. A request answered at once (a refused range,
 * an unsupported type) has i = d = c = q. {@code inflightDevice} counts the device's requests in the backend
 * pipeline and {@code inflightDisk} every device's requests at the store, both at dispatch.
 */
public record RequestRecord(String device, int queue, int desc, long seq, String type, long sector, int bytes,
                            String status, int weight, String mode, long q, long i, long d, long c, long r,
                            @JsonProperty("inflight_device") int inflightDevice,
                            @JsonProperty("inflight_disk") int inflightDisk) implements JsonLine {

    @Override
    public void appendJson(StringBuilder b) {
        b.append("{\"device\":\"").append(device).append("\",\"queue\":").append(queue)
                .append(",\"desc\":").append(desc).append(",\"seq\":").append(seq)
                .append(",\"type\":\"").append(type).append("\",\"sector\":").append(sector)
                .append(",\"bytes\":").append(bytes).append(",\"status\":\"").append(status)
                .append("\",\"weight\":").append(weight).append(",\"mode\":\"").append(mode)
                .append("\",\"q\":").append(q).append(",\"i\":").append(i).append(",\"d\":").append(d)
                .append(",\"c\":").append(c).append(",\"r\":").append(r)
                .append(",\"inflight_device\":").append(inflightDevice)
                .append(",\"inflight_disk\":").append(inflightDisk).append('}');
    }

    /** Scheduler and queue wait. */
    public long q2d() {
        return d - q;
    }

    /** Service by the store (and the emulated disk). */
    public long d2c() {
        return c - d;
    }

    /** Total time in the backend until the store was done. */
    public long q2c() {
        return c - q;
    }

    /** From completion to the reply being written. */
    public long c2r() {
        return r - c;
    }
}
