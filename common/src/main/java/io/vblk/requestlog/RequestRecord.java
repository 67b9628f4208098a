package io.vblk.requestlog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One request as the backend saw it, one JSON line in the request log. Timestamps are the backend's
 * monotonic nanoseconds (CLOCK_MONOTONIC, comparable with the frontend's on the same host) in blktrace's
 * vocabulary: {@code q} received, {@code i} into the scheduler, {@code d} dispatched to the store (or disk),
 * {@code c} completed by the store, {@code r} reply written. A request answered at once (a refused range,
 * an unsupported type) has i = d = c = q. {@code inServiceDevice} counts the device's requests in service and
 * {@code dispatchedTotal} every device's requests dispatched, both at this one's dispatch and including it
 * (the terms are docs/glossary.md's). {@code conn} numbers the connection (a vhost-user queue) it came on, from 1
 * in each backend run: seq restarts on a reconnect, so (conn, queue, seq) names a request once in a run.
 */
public record RequestRecord(String device, int queue, int desc, long seq, String type, long sector, int bytes,
                            String status, int weight, String mode, long q, long i, long d, long c, long r,
                            @JsonProperty("in_service_device") int inServiceDevice,
                            @JsonProperty("dispatched_total") int dispatchedTotal, long conn) implements JsonLine {

    private static final JsonLineWriter.Key K_WEIGHT = JsonLineWriter.key("weight");
    private static final JsonLineWriter.Key K_MODE = JsonLineWriter.key("mode");
    private static final JsonLineWriter.Key K_Q = JsonLineWriter.key("q");
    private static final JsonLineWriter.Key K_I = JsonLineWriter.key("i");
    private static final JsonLineWriter.Key K_D = JsonLineWriter.key("d");
    private static final JsonLineWriter.Key K_C = JsonLineWriter.key("c");
    private static final JsonLineWriter.Key K_R = JsonLineWriter.key("r");
    private static final JsonLineWriter.Key K_IN_SERVICE_DEVICE = JsonLineWriter.key("in_service_device");
    private static final JsonLineWriter.Key K_DISPATCHED_TOTAL = JsonLineWriter.key("dispatched_total");
    private static final JsonLineWriter.Key K_CONN = JsonLineWriter.key("conn");

    @Override
    public void writeJson(JsonLineWriter w) {
        LogKeys.identity(w, device, queue, desc, seq, type, sector, bytes, status)
                .num(K_WEIGHT, weight).str(K_MODE, mode).num(K_Q, q).num(K_I, i).num(K_D, d).num(K_C, c).num(K_R, r)
                .num(K_IN_SERVICE_DEVICE, inServiceDevice).num(K_DISPATCHED_TOTAL, dispatchedTotal).num(K_CONN, conn);
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
