package io.vblk.logs;

/**
 * One device's join (or the total): pairs found, records without a partner on either side, pairs whose key
 * matched but whose type, sector or length did not ({@code conflicts}, left out of the figures), and for
 * the pairs the way in (q - submit), the backend's time (r - q) and the way back (complete - r).
 */
public record JoinDevice(String name, long joined, long backendOnly, long frontendOnly, long conflicts, Timing wayIn,
                         Timing backend, Timing wayBack) {}
