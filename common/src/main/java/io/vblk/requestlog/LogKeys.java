package io.vblk.requestlog;

/** The keys both sides' records share: the request's identity, so that the two logs join on them. */
final class LogKeys {
    private LogKeys() {}

    static final JsonLineWriter.Key DEVICE = JsonLineWriter.key("device");
    static final JsonLineWriter.Key QUEUE = JsonLineWriter.key("queue");
    static final JsonLineWriter.Key DESC = JsonLineWriter.key("desc");
    static final JsonLineWriter.Key SEQ = JsonLineWriter.key("seq");
    static final JsonLineWriter.Key TYPE = JsonLineWriter.key("type");
    static final JsonLineWriter.Key SECTOR = JsonLineWriter.key("sector");
    static final JsonLineWriter.Key BYTES = JsonLineWriter.key("bytes");
    static final JsonLineWriter.Key STATUS = JsonLineWriter.key("status");

    /** Writes the shared identity fields, first, in the order docs/request-logs.md's schema lists them. */
    static JsonLineWriter identity(JsonLineWriter w, String device, int queue, int desc, long seq, String type,
                                   long sector, int bytes, String status) {
        return w.str(DEVICE, device).num(QUEUE, queue).num(DESC, desc).num(SEQ, seq).str(TYPE, type)
                .num(SECTOR, sector).num(BYTES, bytes).str(STATUS, status);
    }
}
