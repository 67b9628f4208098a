package io.vblk.load;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One device's counts at the end of a run. {@code ios}, {@code bytes} and {@code latency} (µs) cover the
 * measured window only; {@code errors}, {@code completions} and the verify counts cover the whole run;
 * {@code inFlight} is what never came back; {@code intervalIos} the measured I/Os by interval index
 * ({@link IntervalCounts}), null when the run keeps no series.
 */
public record DeviceTally(String device, long ios, long bytes, long errors, Histogram latency, long completions,
                          long checked, long checkedBytes, long skipped, long mismatches, List<String> mismatchNotes, int inFlight,
                          long[] intervalIos) {}
