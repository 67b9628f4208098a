package io.vblk.requestlog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One live change the backend applied, as a request-log line: {@code key} of {@code target} (a device, or
 * {@code scheduler}) went from {@code from} to {@code to} at {@code t}, in the records' clock. Requests
 * admitted before {@code t} finish under the old setting. Its first key is {@code control}, so readers of
 * records tell it apart by the line's first bytes.
 */
public record ControlRecord(@JsonProperty("control") String key, String target, long t, String from, String to) implements JsonLine {
    /** What a control line begins with, and no other line does. */
    public static final String PREFIX = "{\"control\":";
    /** The target of a change to the scheduler. */
    public static final String SCHEDULER = "scheduler";

    private static final JsonLineWriter.Key K_CONTROL = JsonLineWriter.key("control");
    private static final JsonLineWriter.Key K_TARGET = JsonLineWriter.key("target");
    private static final JsonLineWriter.Key K_T = JsonLineWriter.key("t");
    private static final JsonLineWriter.Key K_FROM = JsonLineWriter.key("from");
    private static final JsonLineWriter.Key K_TO = JsonLineWriter.key("to");

    @Override
    public void writeJson(JsonLineWriter w) {
        w.str(K_CONTROL, key).str(K_TARGET, target).num(K_T, t).str(K_FROM, from).str(K_TO, to);
    }
}
