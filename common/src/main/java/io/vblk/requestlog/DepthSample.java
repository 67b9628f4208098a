package io.vblk.requestlog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One change of a device's depth under {@code scheduler.depth: auto}: from {@code t} on, at most {@code depth}
 * of its requests are dispatched at once, until its next depth sample. A run's first depth sample of a device
 * is its depth at the start.
 */
// the kind key is what tells the line apart, not a field of the record
@JsonIgnoreProperties("sample")
public record DepthSample(String device, long t, int depth) implements Sample {
    /** What a depth sample's line begins with. */
    public static final String PREFIX = Sample.PREFIX + "\"depth\"";

    private static final JsonLineWriter.Key K_SAMPLE = JsonLineWriter.key("sample");
    private static final JsonLineWriter.Key K_DEVICE = JsonLineWriter.key("device");
    private static final JsonLineWriter.Key K_T = JsonLineWriter.key("t");
    private static final JsonLineWriter.Key K_DEPTH = JsonLineWriter.key("depth");

    @Override
    public void writeJson(JsonLineWriter w) {
        w.str(K_SAMPLE, "depth").str(K_DEVICE, device).num(K_T, t).num(K_DEPTH, depth);
    }
}
