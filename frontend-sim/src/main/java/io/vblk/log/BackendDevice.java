package io.vblk.log;

import java.util.List;
import java.util.Map;

/**
 * One device's figures in a backend log (or the total over devices). {@code ios} and {@code share} count
 * every record; {@code errors} counts records by status other than OK; {@code bytes}, the phases and the
 * inflight counts cover OK records only.
 */
public record BackendDevice(String name, List<Integer> weights, List<String> modes, long ios, double share, double iops,
                            long bytes, Map<String, Long> errors, Phases phases, Spread inflightDevice,
                            Spread inflightDisk) {}
