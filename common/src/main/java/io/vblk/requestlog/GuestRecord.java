package io.vblk.requestlog;

/**
 * One request as the frontend (the guest) saw it: submitted and completed, in the frontend's monotonic
 * nanoseconds. Joins the backend's {@link RequestRecord} on device, queue and seq (the per-connection order
 * of requests, the same on both sides since one connection carries one device).
 */
public record GuestRecord(String device, int queue, int desc, long seq, String type, long sector, int bytes,
                          String status, long submit, long complete) implements JsonLine {

    private static final JsonLineWriter.Key K_SUBMIT = JsonLineWriter.key("submit");
    private static final JsonLineWriter.Key K_COMPLETE = JsonLineWriter.key("complete");

    @Override
    public void writeJson(JsonLineWriter w) {
        LogKeys.identity(w, device, queue, desc, seq, type, sector, bytes, status)
                .num(K_SUBMIT, submit).num(K_COMPLETE, complete);
    }
}
