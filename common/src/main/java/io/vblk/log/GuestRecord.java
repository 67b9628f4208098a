package io.vblk.log;

/**
 * One request as the frontend (the guest) saw it: submitted and completed, in the frontend's monotonic
 * nanoseconds. Joins the backend's {@link RequestRecord} on device, queue and seq (the per-connection order
 * of requests, the same on both sides since one connection carries one device).
 */
public record GuestRecord(String device, int queue, int desc, long seq, String type, long sector, int bytes,
                          String status, long submit, long complete) implements JsonLine {

    private static final JsonLineWriter.Key K_DEVICE = JsonLineWriter.key("device");
    private static final JsonLineWriter.Key K_QUEUE = JsonLineWriter.key("queue");
    private static final JsonLineWriter.Key K_DESC = JsonLineWriter.key("desc");
    private static final JsonLineWriter.Key K_SEQ = JsonLineWriter.key("seq");
    private static final JsonLineWriter.Key K_TYPE = JsonLineWriter.key("type");
    private static final JsonLineWriter.Key K_SECTOR = JsonLineWriter.key("sector");
    private static final JsonLineWriter.Key K_BYTES = JsonLineWriter.key("bytes");
    private static final JsonLineWriter.Key K_STATUS = JsonLineWriter.key("status");
    private static final JsonLineWriter.Key K_SUBMIT = JsonLineWriter.key("submit");
    private static final JsonLineWriter.Key K_COMPLETE = JsonLineWriter.key("complete");

    @Override
    public void writeJson(JsonLineWriter w) {
        w.str(K_DEVICE, device).num(K_QUEUE, queue).num(K_DESC, desc).num(K_SEQ, seq).str(K_TYPE, type)
                .num(K_SECTOR, sector).num(K_BYTES, bytes).str(K_STATUS, status).num(K_SUBMIT, submit)
                .num(K_COMPLETE, complete);
    }
}
