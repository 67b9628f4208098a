package io.vblk.log;

/**
 * One request as the frontend (the guest) saw it: submitted and completed, in the frontend's monotonic
 * nanoseconds. Joins the backend's {@link RequestRecord} on device, queue and seq (the per-connection order
 * of requests, the same on both sides since one connection carries one device).
 */
public record GuestRecord(String device, int queue, int desc, long seq, String type, long sector, int bytes,
                          String status, long submit, long complete) implements JsonLine {

    @Override
    public void appendJson(StringBuilder b) {
        b.append("{\"device\":\"").append(device).append("\",\"queue\":").append(queue)
                .append(",\"desc\":").append(desc).append(",\"seq\":").append(seq)
                .append(",\"type\":\"").append(type).append("\",\"sector\":").append(sector)
                .append(",\"bytes\":").append(bytes).append(",\"status\":\"").append(status)
                .append("\",\"submit\":").append(submit).append(",\"complete\":").append(complete).append('}');
    }
}
