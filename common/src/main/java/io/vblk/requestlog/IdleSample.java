package io.vblk.requestlog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A device's idling counters since the backend started ({@code scheduler.idle}): the nanoseconds other devices'
 * dispatch waited for it, and the idle periods that ended in its next arrival or at the window's end. They only
 * grow; the last sample of a run holds its totals.
 */
// the kind key is what tells the line apart, not a field of the record
@JsonIgnoreProperties("sample")
public record IdleSample(String device, long t, @JsonProperty("idle_ns") long idleNs,
                         @JsonProperty("idle_arrivals") long idleArrivals,
                         @JsonProperty("idle_timeouts") long idleTimeouts) implements Sample {
    /** What an idle sample's line begins with. */
    public static final String PREFIX = Sample.PREFIX + "\"idle\"";

    private static final JsonLineWriter.Key K_SAMPLE = JsonLineWriter.key("sample");
    private static final JsonLineWriter.Key K_DEVICE = JsonLineWriter.key("device");
    private static final JsonLineWriter.Key K_T = JsonLineWriter.key("t");
    private static final JsonLineWriter.Key K_IDLE_NS = JsonLineWriter.key("idle_ns");
    private static final JsonLineWriter.Key K_IDLE_ARRIVALS = JsonLineWriter.key("idle_arrivals");
    private static final JsonLineWriter.Key K_IDLE_TIMEOUTS = JsonLineWriter.key("idle_timeouts");

    @Override
    public void writeJson(JsonLineWriter w) {
        w.str(K_SAMPLE, "idle").str(K_DEVICE, device).num(K_T, t).num(K_IDLE_NS, idleNs)
                .num(K_IDLE_ARRIVALS, idleArrivals).num(K_IDLE_TIMEOUTS, idleTimeouts);
    }
}
