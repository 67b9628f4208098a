package io.vblk.requestlog;

/**
 * A request-log line that is no request: the scheduler's own counters for one device at an instant {@code t}
 * (the records' monotonic nanoseconds). Its first key is {@code sample}, naming the kind, so a reader tells a
 * sample from a record by the line's first bytes; readers that want only records skip it.
 */
public sealed interface Sample extends JsonLine permits IdleSample, DepthSample {
    /** What a sample line begins with, and a record or header line never does. */
    String PREFIX = "{\"sample\":";

    String device();

    long t();
}
